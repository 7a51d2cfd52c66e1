using System.Net;
using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Delinearize;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Query;

/// <summary>One typed match (field, operator, value) → the query fields it fills. The field comes from the match's
/// left side (payload header and field, meta key, ct key); the values from its right side by data type, never from
/// printed text.</summary>
internal static class MatchReader
{
    private enum Field { None, Protocol, SourceAddress, DestinationAddress, SourcePort, DestinationPort, InputInterface, OutputInterface, ConnectionState, User }

    private static readonly HashSet<string> NotAProtocol = new(StringComparer.Ordinal) { "th" };

    /// <summary>Adds the match's values to <paramref name="into"/> (the required or the excluded values); a match on a
    /// transport header field also says which protocol the rule requires, whatever its operator, into <paramref name="required"/>.</summary>
    public static void Read(MatchS m, MatchCollector into, MatchCollector required)
    {
        if (m.Left is PayloadX { Base: ProtoBase.Transport, Desc: { } desc, Tunnel: null } && !NotAProtocol.Contains(desc.Name))
            MatchCollector.AddOnce(required.Protocol, desc.Name);
        if (m.Mask is not null) return;
        if (m.Left is ConcatX concat)
        {
            var fields = concat.Items.Select(FieldOf).ToList();
            if (fields.All(f => f == Field.None) || m.Right is not SetRefX { Anonymous: true, Set: { } cset } cref) return;
            ReadConcatSet(cset, cref, fields, into);
            return;
        }
        var field = FieldOf(m.Left);
        if (field == Field.None) return;
        switch (m.Right)
        {
            case ValueX v when v.Typed:
                AddComparison(field, v.ToConstant(), m.Op, into);
                break;
            case WildcardX w:
                AddName(field, System.Text.Encoding.UTF8.GetString(TrimNul(w.Inner.HostBytes())) + "*", into);
                break;
            case PrefixX { Inner: ValueX pv } p when pv.Typed:
                if (Network(pv.ToConstant(), p.PrefixLength) is { } net) Add(field, net, into);
                break;
            case RangeX { From: ValueX from, To: ValueX to } when from.Typed && to.Typed:
                AddRange(field, from.ToConstant(), to.ToConstant(), into);
                break;
            case FlagListX list:
                foreach (var item in list.Items)
                    if (item is ValueX fv && fv.Typed) AddValue(field, fv.ToConstant(), into);
                break;
            case SetRefX { Anonymous: true, Set: { } set } sref:
                ReadSet(set, sref, field, into);
                break;
        }
    }

    private static Field FieldOf(SExpr left) => left switch
    {
        PayloadX { Tunnel: null, Desc: { } d, Field: { } f } => (d.Name, f.Name) switch
        {
            ("ip" or "ip6", "saddr") => Field.SourceAddress,
            ("ip" or "ip6", "daddr") => Field.DestinationAddress,
            ("ip", "protocol") or ("ip6", "nexthdr") => Field.Protocol,
            (_, "sport") when d.Base == ProtoBase.Transport => Field.SourcePort,
            (_, "dport") when d.Base == ProtoBase.Transport => Field.DestinationPort,
            _ => Field.None,
        },
        MetaX { Tunnel: null } meta => meta.Key.Token switch
        {
            "l4proto" => Field.Protocol,
            "iifname" or "iif" => Field.InputInterface,
            "oifname" or "oif" => Field.OutputInterface,
            "skuid" => Field.User,
            _ => Field.None,
        },
        CtX { Direction: < 0 } ct when ct.Key.Token == "state" => Field.ConnectionState,
        _ => Field.None,
    };

    /// <summary>`tcp dport < 1024` is the range 0-1023; other comparisons than equality add nothing for other fields.</summary>
    private static void AddComparison(Field field, Constant c, RelOp op, MatchCollector into)
    {
        if (op is RelOp.Lt or RelOp.Lte or RelOp.Gt or RelOp.Gte)
        {
            if (field is not (Field.SourcePort or Field.DestinationPort)) return;
            int p = (int)c.Value;
            var range = op switch
            {
                RelOp.Lt => new NftPortRange(0, p - 1),
                RelOp.Lte => new NftPortRange(0, p),
                RelOp.Gt => new NftPortRange(p + 1, 65535),
                _ => new NftPortRange(p, 65535),
            };
            if (range.First <= range.Last) Add(field, range, into);
            return;
        }
        AddValue(field, c, into);
    }

    private static void AddValue(Field field, Constant c, MatchCollector into)
    {
        switch (field)
        {
            case Field.SourceAddress or Field.DestinationAddress:
                if (Address(c) is { } a) Add(field, a, into);
                break;
            case Field.SourcePort or Field.DestinationPort:
                if (c.Value >= 0 && c.Value <= 65535) Add(field, (int)c.Value, into);
                break;
            case Field.User:
                if (c.Value >= 0 && c.Value <= uint.MaxValue) MatchCollector.AddOnce(into.User, (uint)c.Value);
                break;
            case Field.ConnectionState:
                foreach (string state in ValueFormatter.FormatFlagList(c).Split(','))
                    if (state.Length > 0) MatchCollector.AddOnce(into.ConnectionState, state);
                break;
            case Field.InputInterface or Field.OutputInterface:
                if (c.Type.IsString) AddName(field, System.Text.Encoding.UTF8.GetString(TrimNul(c.ToBytes())), into);
                else AddName(field, ValueFormatter.Format(c).Trim('"'), into);
                break;
            case Field.Protocol:
                AddName(field, ValueFormatter.Format(c), into);
                break;
        }
    }

    private static void AddRange(Field field, Constant from, Constant to, MatchCollector into)
    {
        switch (field)
        {
            case Field.SourcePort or Field.DestinationPort:
                if (from.Value >= 0 && to.Value <= 65535 && from.Value <= to.Value)
                    Add(field, from.Value == to.Value ? (int)from.Value : new NftPortRange((int)from.Value, (int)to.Value), into);
                break;
            case Field.SourceAddress or Field.DestinationAddress:
                if (Address(from) is { } a && Address(to) is { } b) Add(field, AddressSpan(a, b), into);
                break;
            case Field.User:
                // uid ranges are rare; each end is listed rather than thousands of ids.
                AddValue(field, from, into);
                AddValue(field, to, into);
                break;
        }
    }

    private static void Add(Field field, object value, MatchCollector into)
    {
        var list = field switch
        {
            Field.SourceAddress => into.SourceAddress,
            Field.DestinationAddress => into.DestinationAddress,
            Field.SourcePort => into.SourcePort,
            Field.DestinationPort => into.DestinationPort,
            _ => null,
        };
        if (list is not null) MatchCollector.AddOnce(list, value);
    }

    private static void AddName(Field field, string name, MatchCollector into)
    {
        var list = field switch
        {
            Field.InputInterface => into.InputInterface,
            Field.OutputInterface => into.OutputInterface,
            Field.Protocol => into.Protocol,
            _ => null,
        };
        if (list is not null) MatchCollector.AddOnce(list, name);
    }

    private static byte[] TrimNul(byte[] data)
    {
        int end = Array.IndexOf(data, (byte)0);
        return end < 0 ? data : data[..end];
    }

    private static IPAddress? Address(Constant c)
    {
        if (c.Type == T.Ipv4Addr)
            return new IPAddress((c with { Order = ByteOrder.BigEndian }).ToBytes(4));
        if (c.Type == T.Ipv6Addr) return new IPAddress((c with { Order = ByteOrder.BigEndian }).ToBytes(16));
        return null;
    }

    private static IPNetwork? Network(Constant c, int prefixLength)
    {
        if (Address(c) is not { } a) return null;
        int bits = a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        if (prefixLength < 0 || prefixLength > bits) return null;
        return IPNetwork.TryParse(a + "/" + prefixLength, out var net) ? net : null;
    }

    /// <summary>A range of addresses: one address, a prefix when it is exactly one (as nft lists it), else a range.</summary>
    internal static object AddressSpan(IPAddress first, IPAddress last)
    {
        if (first.Equals(last)) return first;
        var f = AddressMath.ToNumber(first);
        var l = AddressMath.ToNumber(last);
        int bits = first.GetAddressBytes().Length * 8;
        var size = l - f + 1;
        if (size > 0 && size.IsPowerOfTwo && (f & (size - 1)) == 0)
        {
            int hostBits = (int)(size.GetBitLength() - 1);
            if (IPNetwork.TryParse(first + "/" + (bits - hostBits), out var net)) return net;
        }
        return new NftAddressRange(first, last);
    }

    private static List<(DataType Type, ByteOrder Order, int LenBits)> PartsOf(NftSet set, SetRefX sref, int count)
    {
        if (sref.KeyParts is { } kp && kp.Count == count) return kp;
        var ids = T.SplitConcatType(set.KeyType);
        var parts = new List<(DataType, ByteOrder, int)>();
        foreach (int id in ids)
        {
            var t = T.FromId(id) ?? T.Integer;
            parts.Add((t, t.ByteOrder == ByteOrder.Invalid ? ByteOrder.Host : t.ByteOrder, ids.Count == 1 ? (int)set.KeyLength * 8 : t.SizeBits));
        }
        return parts;
    }

    private static void ReadSet(NftSet set, SetRefX sref, Field field, MatchCollector into)
    {
        var part = PartsOf(set, sref, 1) is { Count: 1 } p ? p[0] : default;
        if (part.Type is null) return;
        if (set.IsInterval)
        {
            // Interval sets hold each range as a start key and an end marker one past its last value, big-endian.
            var sorted = set.Elements.Where(e => !e.IsCatchAll && e.Key is not null)
                .OrderBy(e => new BigInteger(e.Key!, isUnsigned: true, isBigEndian: true)).ThenBy(e => e.IsIntervalEnd ? 0 : 1).ToList();
            for (int i = 0; i < sorted.Count; i++)
            {
                if (sorted[i].IsIntervalEnd) continue;
                var start = Constant.FromBytes(part.Type, ByteOrder.BigEndian, sorted[i].Key!, part.LenBits);
                var end = i + 1 < sorted.Count
                    ? start with { Value = new BigInteger(sorted[i + 1].Key!, isUnsigned: true, isBigEndian: true) - 1 }
                    : start with { Value = (BigInteger.One << (sorted[i].Key!.Length * 8)) - 1 };
                if (start.Value == end.Value) AddValue(field, start, into);
                else AddRange(field, start, end, into);
            }
            return;
        }
        foreach (var e in set.Elements)
        {
            if (e.IsCatchAll || e.IsIntervalEnd || e.Key is null) continue;
            AddValue(field, Constant.FromBytes(part.Type, part.Order, e.Key, part.LenBits), into);
        }
    }

    /// <summary>`ip saddr . tcp dport { 10.0.0.1 . 22 }`: each component goes to its own field (the pairing is the
    /// rule text's to show).</summary>
    private static void ReadConcatSet(NftSet set, SetRefX sref, List<Field> fields, MatchCollector into)
    {
        var parts = PartsOf(set, sref, fields.Count);
        if (parts.Count != fields.Count) return;
        foreach (var e in set.Elements)
        {
            if (e.IsCatchAll || e.IsIntervalEnd || e.Key is null) continue;
            int offset = 0;
            for (int i = 0; i < parts.Count; i++)
            {
                int len = (parts[i].LenBits + 7) / 8;
                int padded = (len + 3) / 4 * 4;
                if (offset + len > e.Key.Length) break;
                if (fields[i] != Field.None)
                {
                    var order = set.IsInterval ? ByteOrder.BigEndian : parts[i].Order;
                    var from = Constant.FromBytes(parts[i].Type, order, e.Key.AsSpan(offset, len), parts[i].LenBits);
                    if (e.KeyEnd is { } ke && offset + len <= ke.Length)
                    {
                        var to = Constant.FromBytes(parts[i].Type, order, ke.AsSpan(offset, len), parts[i].LenBits);
                        if (to.Value != from.Value) AddRange(fields[i], from, to, into);
                        else AddValue(fields[i], from, into);
                    }
                    else AddValue(fields[i], from, into);
                }
                offset += padded;
            }
        }
    }
}
