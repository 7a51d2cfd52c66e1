using NftPS.NfTables.Model;

namespace NftPS.NfTables.Reading;

/// <summary>Finds a key listed twice in one set's dump. A set holds each key once, so a dump that shows one twice
/// is not a snapshot of any state the set was in (the kernel resized its hash table mid-dump).</summary>
internal static class SetElementKeys
{
    public static NftSetElement? FindDuplicate(IReadOnlyCollection<NftSetElement> elements)
    {
        if (elements.Count < 2) return null;
        var seen = new HashSet<NftSetElement>(elements.Count, KeyComparer.Instance);
        foreach (var e in elements)
            if (!seen.Add(e)) return e;
        return null;
    }

    /// <summary>Equal when key, key end and the interval-end/catch-all flags are equal.</summary>
    private sealed class KeyComparer : IEqualityComparer<NftSetElement>
    {
        public static readonly KeyComparer Instance = new();
        private const uint IdentityFlags = 0x3;

        public bool Equals(NftSetElement? x, NftSetElement? y) =>
            x is not null && y is not null && (x.Flags & IdentityFlags) == (y.Flags & IdentityFlags) &&
            Same(x.Key, y.Key) && Same(x.KeyEnd, y.KeyEnd);

        public int GetHashCode(NftSetElement e)
        {
            var hash = new HashCode();
            hash.Add(e.Flags & IdentityFlags);
            if (e.Key is { } key) hash.AddBytes(key);
            if (e.KeyEnd is { } end) hash.AddBytes(end);
            return hash.ToHashCode();
        }

        private static bool Same(byte[]? a, byte[]? b) =>
            a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
    }
}
