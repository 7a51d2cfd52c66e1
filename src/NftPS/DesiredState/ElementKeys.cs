using NftPS.NfTables.Model;

namespace NftPS.DesiredState;

/// <summary>The identity of a set element (what the kernel finds it by: key, interval end flag, concatenated range
/// end, catch-all) and of its value (map data, verdict, object, timeout, comment, statements), as bytes, so sets of
/// 100,000 elements diff with one hash lookup each.</summary>
internal static class ElementKeys
{
    /// <summary>Bytes with a hash computed once. An element's identity keeps references to the element's own key
    /// arrays instead of copying them (two sets of 100,000 elements are indexed per comparison).</summary>
    public readonly struct Id : IEquatable<Id>
    {
        // 0: plain bytes (a value); 0x10 | flags: an element's identity; 0x20 | flags: a range's start and end.
        private readonly int _kind;
        private readonly byte[]? _a, _b;
        private readonly int _hash;

        public Id(byte[] bytes) : this(0, bytes, null) { }

        internal Id(int kind, byte[]? a, byte[]? b)
        {
            _kind = kind;
            _a = a;
            _b = b;
            var h = new HashCode();
            h.Add(kind);
            if (a is not null) h.AddBytes(a);
            h.Add(-1);
            if (b is not null) h.AddBytes(b);
            _hash = h.ToHashCode();
        }

        /// <summary>The identity as one byte string: flags, key length, key, range end (a range: its start's
        /// followed by its end's).</summary>
        public byte[] Bytes
        {
            get
            {
                if (_kind == 0) return _a ?? Array.Empty<byte>();
                if (_kind >= 0x20) return Flat(_kind & 0x3, _a, null).Concat(Flat((_kind >> 2) & 0x3, _b, null)).ToArray();
                return Flat(_kind & 0x3, _a, _b);
            }
        }

        private static byte[] Flat(int flags, byte[]? key, byte[]? end)
        {
            key ??= Array.Empty<byte>();
            end ??= Array.Empty<byte>();
            var b = new byte[2 + key.Length + end.Length];
            b[0] = (byte)flags;
            b[1] = (byte)key.Length;
            key.CopyTo(b, 2);
            end.CopyTo(b, 2 + key.Length);
            return b;
        }

        public bool Equals(Id other) => _hash == other._hash && _kind == other._kind &&
            _a.AsSpan().SequenceEqual(other._a) && _b.AsSpan().SequenceEqual(other._b);
        public override bool Equals(object? obj) => obj is Id o && Equals(o);
        public override int GetHashCode() => _hash;
    }

    private const uint IdentityFlags = 0x1 | 0x2; // NFT_SET_ELEM_INTERVAL_END, NFT_SET_ELEM_CATCHALL

    public static Id Identity(NftSetElement e) => new(0x10 | (int)(e.Flags & IdentityFlags), e.Key, e.KeyEnd);

    /// <summary>An interval set's range (its start element and its end element) as one identity.</summary>
    public static Id Range(NftSetElement start, NftSetElement end) =>
        new(0x20 | (int)(start.Flags & IdentityFlags) | (int)(end.Flags & IdentityFlags) << 2, start.Key, end.Key);

    [ThreadStatic] private static NftPS.Netlink.NetlinkWriter? _scratch;

    /// <summary>What an element holds beyond its key; elements with the same identity and different values are
    /// deleted and added again. State the kernel keeps (expiry, counter values) is left out. When the set declares
    /// statements (<c>counter;</c>) the kernel gives each element the set's own and lists them, while a desired
    /// element carries none: <paramref name="setStatements"/> then leaves the element's statements out.</summary>
    public static Id Value(NftSetElement e, bool setStatements = false)
    {
        bool statements = !setStatements && e.Expressions.Count > 0;
        // Most elements carry no value at all: one shared empty id, no writer.
        if (e.Data is null && e.Verdict is null && e.ObjectReference is null && e.Timeout is null && e.UserData is null && !statements)
            return Empty;
        var w = _scratch ??= new NftPS.Netlink.NetlinkWriter(64);
        w.Reset();
        if (e.Data is { } d) w.WriteBytes(1, d);
        if (e.Verdict is { } v) w.WriteString(2, ((int)v.Code).ToString() + ":" + v.Chain);
        if (e.ObjectReference is { } o) w.WriteString(3, o);
        if (e.Timeout is { } t) w.WriteBe64(4, (ulong)t.TotalMilliseconds);
        if (e.UserData is { } u) w.WriteBytes(5, u);
        if (statements)
            NftPS.NfTables.Expressions.ExpressionCodec.EncodeList(w, 6, e.Expressions.Select(RuleKeys.Mask));
        return new Id(w.ToArray());
    }

    private static readonly Id Empty = new(Array.Empty<byte>());

    public static Dictionary<Id, int> Index(List<NftSetElement> elements)
    {
        var d = new Dictionary<Id, int>(elements.Count);
        for (int i = 0; i < elements.Count; i++) d[Identity(elements[i])] = i;
        return d;
    }
}
