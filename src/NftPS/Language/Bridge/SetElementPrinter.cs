using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using NftPS.NfTables.Model;
using NftPS.NfTables.Printing;
using NftPS.NfTables.Reading;

namespace NftPS.Language;

/// <summary>PLACEHOLDER until branch `lang` provides the real one: the element texts of a set in nft's print order,
/// intervals merged, with counter/timeout/expires/comment suffixes. Knows the common key types only.</summary>
public static class SetElementPrinter
{
    public static IReadOnlyList<string> FormatElements(NftSet set, NftRuleset ruleset, bool stateless)
    {
        bool keyHost = set.KeyByteOrder == 1;
        var elements = set.Elements.Where(e => !e.IsCatchAll).ToList();
        elements.Sort((a, b) => CompareKeys(a.Key, b.Key, keyHost));
        var texts = new List<string>(elements.Count);
        uint[] types = DataTypeNames.Components(set.KeyType);
        int[] lengths = ComponentLengths(set, types);
        bool concat = types.Length > 1;

        if (set.IsInterval && !concat)
        {
            for (int i = 0; i < elements.Count; i++)
            {
                var e = elements[i];
                if (e.IsIntervalEnd || e.Key is null) continue;
                byte[] last;
                if (i + 1 < elements.Count && elements[i + 1].IsIntervalEnd && elements[i + 1].Key is { } end)
                    last = Decrement(end, keyHost);
                else
                    last = e.KeyEnd ?? Enumerable.Repeat((byte)0xff, e.Key.Length).ToArray();
                texts.Add(Decorate(set, e, FormatRange(types[0], e.Key, last, keyHost), stateless));
            }
        }
        else
        {
            foreach (var e in elements)
            {
                if (e.Key is null) continue;
                string key;
                if (concat)
                {
                    var parts = new List<string>();
                    int offset = 0;
                    for (int c = 0; c < types.Length; c++)
                    {
                        int len = lengths[c];
                        if (offset + len > e.Key.Length) break;
                        byte[] start = e.Key.AsSpan(offset, len).ToArray();
                        byte[] stop = e.KeyEnd is { } ke && offset + len <= ke.Length ? ke.AsSpan(offset, len).ToArray() : start;
                        parts.Add(FormatRange(types[c], start, stop, ByteOrderHost(types[c], keyHost)));
                        offset += (len + 3) & ~3;
                    }
                    key = string.Join(" . ", parts);
                }
                else key = FormatValue(types[0], e.Key, keyHost);
                texts.Add(Decorate(set, e, key, stateless));
            }
        }
        foreach (var e in set.Elements.Where(e => e.IsCatchAll)) texts.Add(Decorate(set, e, "*", stateless));
        return texts;
    }

    private static string Decorate(NftSet set, NftSetElement e, string key, bool stateless)
    {
        var sb = new StringBuilder(key);
        if (e.Counter is { } p) sb.Append(stateless ? " counter" : $" counter packets {p} bytes {e.Bytes ?? 0}");
        if (e.Timeout is { } t) sb.Append(" timeout ").Append(NftHooks.FormatTime((ulong)t.TotalMilliseconds));
        if (!stateless && e.Expires is { } x && x > TimeSpan.Zero) sb.Append(" expires ").Append(NftHooks.FormatTime((ulong)x.TotalMilliseconds));
        if (e.Comment is not null) sb.Append(" comment \"").Append(e.Comment).Append('"');
        if (set.IsMap || set.IsObjectMap)
        {
            sb.Append(" : ");
            if (e.Verdict is not null) sb.Append(e.Verdict);
            else if (e.ObjectReference is not null) sb.Append('"').Append(e.ObjectReference).Append('"');
            else if (e.Data is not null) sb.Append(FormatValue(DataTypeNames.Components(set.DataType ?? 0)[0], e.Data, set.DataByteOrder == 1));
        }
        return sb.ToString();
    }

    private static bool ByteOrderHost(uint type, bool keyHost) => type is DataTypeNames.Mark or DataTypeNames.CtState or 24 or 25 or 41 || (type == 4 && keyHost);

    private static int[] ComponentLengths(NftSet set, uint[] types)
    {
        if (set.ConcatFieldLengths.Length == types.Length) return set.ConcatFieldLengths.Select(l => (int)l).ToArray();
        if (types.Length == 1) return new[] { (int)set.KeyLength };
        return types.Select(t => t switch
        {
            DataTypeNames.Ipv6Addr or DataTypeNames.IfName => 16,
            DataTypeNames.EtherAddr => 6,
            DataTypeNames.InetService => 2,
            DataTypeNames.InetProto => 1,
            _ => 4,
        }).ToArray();
    }

    private static int CompareKeys(byte[]? a, byte[]? b, bool host)
    {
        if (a is null || b is null) return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        if (!host) return a.AsSpan().SequenceCompareTo(b);
        for (int i = Math.Max(a.Length, b.Length) - 1; i >= 0; i--)
        {
            int x = i < a.Length ? a[i] : 0, y = i < b.Length ? b[i] : 0;
            if (x != y) return x - y;
        }
        return 0;
    }

    private static byte[] Decrement(byte[] value, bool host)
    {
        var r = (byte[])value.Clone();
        if (host) { for (int i = 0; i < r.Length; i++) if (r[i]-- != 0) break; }
        else { for (int i = r.Length - 1; i >= 0; i--) if (r[i]-- != 0) break; }
        return r;
    }

    private static string FormatRange(uint type, byte[] first, byte[] last, bool host)
    {
        if (first.AsSpan().SequenceEqual(last)) return FormatValue(type, first, host);
        if (type is DataTypeNames.Ipv4Addr or DataTypeNames.Ipv6Addr && PrefixLength(first, last) is int prefix)
            return FormatValue(type, first, host) + "/" + prefix;
        return FormatValue(type, first, host) + "-" + FormatValue(type, last, host);
    }

    private static int? PrefixLength(byte[] first, byte[] last)
    {
        int bits = first.Length * 8, prefix = 0;
        while (prefix < bits && Bit(first, prefix) == Bit(last, prefix)) prefix++;
        for (int i = prefix; i < bits; i++) if (Bit(first, i) != 0 || Bit(last, i) != 1) return null;
        return prefix;
        static int Bit(byte[] v, int i) => (v[i / 8] >> (7 - i % 8)) & 1;
    }

    public static string FormatValue(uint type, byte[] v, bool host)
    {
        switch (type)
        {
            case DataTypeNames.Ipv4Addr when v.Length >= 4: return new IPAddress(v.AsSpan(0, 4)).ToString();
            case DataTypeNames.Ipv6Addr when v.Length >= 16: return new IPAddress(v.AsSpan(0, 16)).ToString();
            case DataTypeNames.EtherAddr when v.Length >= 6: return string.Join(':', v.Take(6).Select(b => b.ToString("x2")));
            case DataTypeNames.InetService when v.Length >= 2: return BinaryPrimitives.ReadUInt16BigEndian(v).ToString(CultureInfo.InvariantCulture);
            case DataTypeNames.InetProto when v.Length >= 1: return Protocols.Name(v[0]);
            case DataTypeNames.Mark when v.Length >= 4: return "0x" + BinaryPrimitives.ReadUInt32LittleEndian(v).ToString("x8");
            case DataTypeNames.IfName: return "\"" + UserData.DecodeString(v) + "\"";
            case DataTypeNames.CtState when v.Length >= 4: return CtState(BinaryPrimitives.ReadUInt32LittleEndian(v));
            case 4 or 24 or 25 when v.Length is 1 or 2 or 4 or 8:
                return ReadUnsigned(v, host || type != 4).ToString(CultureInfo.InvariantCulture);
            default: return "0x" + Convert.ToHexString(v).ToLowerInvariant();
        }
    }

    private static ulong ReadUnsigned(byte[] v, bool host)
    {
        ulong r = 0;
        if (host) for (int i = v.Length - 1; i >= 0; i--) r = r << 8 | v[i];
        else foreach (byte b in v) r = r << 8 | b;
        return r;
    }

    private static string CtState(uint mask)
    {
        var names = new List<string>();
        (uint Bit, string Name)[] bits = { (1, "invalid"), (2, "established"), (4, "related"), (8, "new"), (64, "untracked") };
        foreach (var (bit, name) in bits) if ((mask & bit) != 0) names.Add(name);
        return names.Count == 0 ? "0x" + mask.ToString("x8") : string.Join(',', names);
    }

    private static class Protocols
    {
        private static readonly Lazy<Dictionary<int, string>> Map = new(Load);

        public static string Name(byte number) =>
            Map.Value.TryGetValue(number, out var n) ? n : number.ToString(CultureInfo.InvariantCulture);

        private static Dictionary<int, string> Load()
        {
            var map = new Dictionary<int, string>();
            try
            {
                foreach (var line in File.ReadLines("/etc/protocols"))
                {
                    var parts = line.Split('#')[0].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 2 && int.TryParse(parts[1], out int n)) map.TryAdd(n, parts[0]);
                }
            }
            catch (IOException) { }
            if (map.Count == 0) map[6] = "tcp";
            return map;
        }
    }
}
