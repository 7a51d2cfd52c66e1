using NftPS.NfTables.Model;

namespace NftPS.DesiredState;

/// <summary>The identity of a set element (what the kernel finds it by: key, interval end flag, concatenated range
/// end, catch-all) and of its value (map data, verdict, object, timeout, comment, statements), as bytes, so sets of
/// 100,000 elements diff with one hash lookup each.</summary>
internal static class ElementKeys
{
    /// <summary>Bytes with a hash computed once.</summary>
    public readonly struct Id : IEquatable<Id>
    {
        private readonly byte[] _bytes;
        private readonly int _hash;

        public Id(byte[] bytes)
        {
            _bytes = bytes;
            var h = new HashCode();
            h.AddBytes(bytes);
            _hash = h.ToHashCode();
        }

        public byte[] Bytes => _bytes ?? Array.Empty<byte>();
        public bool Equals(Id other) => _hash == other._hash && Bytes.AsSpan().SequenceEqual(other.Bytes);
        public override bool Equals(object? obj) => obj is Id o && Equals(o);
        public override int GetHashCode() => _hash;
    }

    private const uint IdentityFlags = 0x1 | 0x2; // NFT_SET_ELEM_INTERVAL_END, NFT_SET_ELEM_CATCHALL

    public static Id Identity(NftSetElement e)
    {
        var key = e.Key ?? Array.Empty<byte>();
        var end = e.KeyEnd ?? Array.Empty<byte>();
        var b = new byte[2 + key.Length + end.Length];
        b[0] = (byte)(e.Flags & IdentityFlags);
        b[1] = (byte)key.Length;
        key.CopyTo(b, 2);
        end.CopyTo(b, 2 + key.Length);
        return new Id(b);
    }

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
