using System.Text;

namespace NftPS.Netlink;

/// <summary>Strings a dump repeats in every message (table, chain and expression names) decoded once: a 10,000-rule
/// listing otherwise makes ten thousand copies of "filter", "payload" and "cmp". A small direct-mapped table keyed by
/// a hash of the bytes; a collision just replaces the entry. Entries are immutable, so readers need no lock.</summary>
internal static class Utf8StringCache
{
    private sealed class Entry
    {
        public Entry(byte[] bytes, string value) { Bytes = bytes; Value = value; }
        public readonly byte[] Bytes;
        public readonly string Value;
    }

    private const int MaxLength = 64;
    private static readonly Entry?[] Entries = new Entry?[512];

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength) return Encoding.UTF8.GetString(utf8);
        uint hash = 2166136261;
        foreach (byte b in utf8) hash = (hash ^ b) * 16777619;
        ref Entry? slot = ref Entries[hash & (uint)(Entries.Length - 1)];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && utf8.SequenceEqual(entry.Bytes)) return entry.Value;
        string value = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref slot, new Entry(utf8.ToArray(), value));
        return value;
    }
}
