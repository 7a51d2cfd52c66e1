using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Printing;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Query;

/// <summary>A set element's key as a typed value, read from its key bytes on demand: an address (IPAddress), a prefix
/// (IPNetwork) or address range, a port (int) or port range, a name, or for a concatenation an array of its parts.
/// One reader per set is shared by its elements, so listing elements costs one reference per element until a
/// value is asked for.</summary>
internal sealed class ElementValueReader
{
    private readonly NftSet _set;
    private readonly List<(DataType Type, ByteOrder Order, int LenBits)> _parts;
    private Dictionary<NftSetElement, BigInteger>? _ends;

    private ElementValueReader(NftSet set)
    {
        _set = set;
        _parts = SetElementPrinter.KeyParts(set);
    }

    /// <summary>Gives every element of the set its typed value source.</summary>
    public static void Attach(NftSet set)
    {
        try
        {
            Func<NftSetElement, object?> read = new ElementValueReader(set).Read;
            foreach (var e in set.Elements) e.ValueSource = read;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            // A set whose key type we cannot read keeps its elements' Value text only.
        }
    }

    private object? Read(NftSetElement e)
    {
        if (e.IsCatchAll || e.Key is null || e.IsIntervalEnd) return null;
        try
        {
            if (_parts.Count == 1)
            {
                var part = _parts[0];
                var order = _set.IsInterval ? ByteOrder.BigEndian : part.Order;
                var start = Constant.FromBytes(part.Type, order, e.Key, part.LenBits);
                if (_set.IsInterval && Ends().TryGetValue(e, out var last) && last != start.Value)
                    return Span(start, start with { Value = last });
                return Scalar(start);
            }
            var values = new object?[_parts.Count];
            int offset = 0;
            for (int i = 0; i < _parts.Count; i++)
            {
                int len = (_parts[i].LenBits + 7) / 8;
                if (offset + len > e.Key.Length) return null;
                var order = _set.IsInterval ? ByteOrder.BigEndian : _parts[i].Order;
                var from = Constant.FromBytes(_parts[i].Type, order, e.Key.AsSpan(offset, len), _parts[i].LenBits);
                values[i] = e.KeyEnd is { } end && offset + len <= end.Length &&
                    Constant.FromBytes(_parts[i].Type, order, end.AsSpan(offset, len), _parts[i].LenBits) is var to && to.Value != from.Value
                    ? Span(from, to) : Scalar(from);
                offset += (len + 3) / 4 * 4;
            }
            return values;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IndexOutOfRangeException or ArithmeticException)
        {
            return null;
        }
    }

    // Interval sets hold a start key and an end marker one past the last value: each start's last value, sorted once.
    private Dictionary<NftSetElement, BigInteger> Ends()
    {
        if (_ends is { } done) return done;
        var sorted = _set.Elements.Where(x => !x.IsCatchAll && x.Key is not null)
            .OrderBy(x => new BigInteger(x.Key!, isUnsigned: true, isBigEndian: true)).ThenBy(x => x.IsIntervalEnd ? 0 : 1).ToList();
        var ends = new Dictionary<NftSetElement, BigInteger>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < sorted.Count; i++)
        {
            if (sorted[i].IsIntervalEnd) continue;
            ends[sorted[i]] = i + 1 < sorted.Count
                ? new BigInteger(sorted[i + 1].Key!, isUnsigned: true, isBigEndian: true) - 1
                : (BigInteger.One << (sorted[i].Key!.Length * 8)) - 1;
        }
        return _ends = ends;
    }

    private static object Scalar(Constant c)
    {
        if (c.Type == T.Ipv4Addr) return new System.Net.IPAddress((c with { Order = ByteOrder.BigEndian }).ToBytes(4));
        if (c.Type == T.Ipv6Addr) return new System.Net.IPAddress((c with { Order = ByteOrder.BigEndian }).ToBytes(16));
        if (c.Type == T.InetService) return (int)c.Value;
        if (c.Type == T.Uid || c.Type == T.Gid) return (uint)c.Value;
        if (c.Type.IsString)
        {
            byte[] data = c.ToBytes();
            int nul = Array.IndexOf(data, (byte)0);
            return System.Text.Encoding.UTF8.GetString(data, 0, nul < 0 ? data.Length : nul);
        }
        return ValueFormatter.Format(c);
    }

    private static object Span(Constant from, Constant to)
    {
        if (from.Type == T.Ipv4Addr || from.Type == T.Ipv6Addr)
            return MatchReader.AddressSpan((System.Net.IPAddress)Scalar(from), (System.Net.IPAddress)Scalar(to));
        if (from.Type == T.InetService) return new NftPortRange((int)from.Value, (int)to.Value);
        return Scalar(from) + "-" + Scalar(to);
    }
}
