using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Protocols;
using NftPS.NfTables.Model;

namespace NftPS.Language.Model;

// The typed tree of a rule: what the delinearizer builds from kernel expressions and what the text and JSON printers
// print. It lives apart from Delinearize so that the printers depend on the tree and not on the code that builds it
// (and so the parse -> evaluate direction can produce the same types later).

/// <summary>An expression of the syntax tree rebuilt from kernel expressions (nftables' struct expr, one class per kind).</summary>
internal abstract class SExpr
{
    public DataType Type { get; set; } = DataTypeRegistry.Integer;
    public ByteOrder Order { get; set; } = ByteOrder.Invalid;
    public int LenBits { get; set; }

    /// <summary>A deep copy: each read of a register gets its own tree, as nft's netlink_get_register clones, so
    /// postprocessing one use (trimming a masked payload) leaves the others alone.</summary>
    public SExpr Clone()
    {
        var c = (SExpr)MemberwiseClone();
        switch (c)
        {
            case BinopX b: b.Left = b.Left.Clone(); b.Right = b.Right.Clone(); break;
            case PrefixX p: p.Inner = p.Inner.Clone(); break;
            case RangeX r: r.From = r.From.Clone(); r.To = r.To.Clone(); break;
            case ConcatX x: x.ReplaceItems(x.Items.Select(i => i.Clone()).ToList()); break;
            case FlagListX f: f.ReplaceItems(f.Items.Select(i => i.Clone()).ToList()); break;
            case MapX m: m.Key = m.Key.Clone(); m.Set = (SetRefX)m.Set.Clone(); break;
            case UnaryX u: u.Inner = u.Inner.Clone(); break;
            case ElementKeyX k: k.Key = k.Key.Clone(); break;
            case HashX h when h.Inner is not null: h.Inner = h.Inner.Clone(); break;
            case WildcardX w: w.Inner = (ValueX)w.Inner.Clone(); break;
        }
        return c;
    }
}

internal sealed class PayloadX : SExpr
{
    public ProtoBase Base { get; set; }
    public int OffsetBits { get; set; }
    public HeaderDesc? Desc { get; set; }
    public HeaderField? Field { get; set; }
    /// <summary>A field of the packet inside this tunnel (loaded within a kernel inner expression).</summary>
    public TunnelDesc? Tunnel { get; set; }
    public bool IsProtocolKey => Desc is not null && Field is not null && Desc.ProtocolKey == Field.Index;
}

internal sealed class MetaX : SExpr
{
    public MetaKey Key { get; init; } = null!;
    /// <summary>A meta key of the packet inside this tunnel (nft 1.1's inner dependencies).</summary>
    public TunnelDesc? Tunnel { get; init; }
}

internal sealed class CtX : SExpr
{
    public CtKey Key { get; init; } = null!;
    public int Direction { get; init; } = -1;
    public int NfProto { get; set; }
}

internal sealed class ExthdrX : SExpr
{
    public ExthdrOp Op { get; init; }
    public int RawType { get; init; }
    public int OffsetBits { get; set; }
    public bool Present { get; init; }
    public ExthdrDesc? Desc { get; set; }
    public HeaderField? Field { get; set; }
}

internal sealed class ValueX : SExpr
{
    public BigInteger Value { get; set; }
    public bool Typed { get; set; }

    public static ValueX FromRaw(byte[] data) => new()
    {
        Value = new BigInteger(data, isUnsigned: true, isBigEndian: false),
        LenBits = data.Length * 8,
        Type = DataTypeRegistry.Integer,
        Order = ByteOrder.Host,
    };

    /// <summary>expr_set_type: gives the raw register bytes their meaning (big-endian data is reread).</summary>
    public void SetType(DataType type, ByteOrder order)
    {
        if (!Typed && order == ByteOrder.BigEndian)
        {
            var c = new Constant(DataTypeRegistry.Integer, ByteOrder.Host, LenBits, Value);
            Value = new BigInteger(c.ToBytes(), isUnsigned: true, isBigEndian: true);
        }
        Typed = true;
        Type = type;
        Order = order;
    }

    public Constant ToConstant() => new(Type, Order, LenBits, Value);

    public byte[] HostBytes() => new Constant(Type, ByteOrder.Host, LenBits, Value).ToBytes();
}

internal enum BinopKind { And, Or, Xor, LeftShift, RightShift }

internal sealed class BinopX : SExpr
{
    public BinopKind Op { get; init; }
    public SExpr Left { get; set; } = null!;
    public SExpr Right { get; set; } = null!;
}

internal sealed class PrefixX : SExpr
{
    public SExpr Inner { get; set; } = null!;
    public int PrefixLength { get; init; }
}

internal sealed class RangeX : SExpr
{
    public SExpr From { get; set; } = null!;
    public SExpr To { get; set; } = null!;
}

internal sealed class ConcatX : SExpr
{
    public List<SExpr> Items { get; private set; } = new();
    internal void ReplaceItems(List<SExpr> items) => Items = items;
}

/// <summary>A comma list of flag values (ct state established,related).</summary>
internal sealed class FlagListX : SExpr
{
    public List<SExpr> Items { get; private set; } = new();
    internal void ReplaceItems(List<SExpr> items) => Items = items;
}

internal sealed class SetRefX : SExpr
{
    public string Name { get; init; } = "";
    public NftSet? Set { get; init; }
    public bool Anonymous => Set?.IsAnonymous ?? (Name.StartsWith("__set", StringComparison.Ordinal) || Name.StartsWith("__map", StringComparison.Ordinal) || Name.StartsWith("__objmap", StringComparison.Ordinal));
    /// <summary>Types of the key components, taken from the expression that looks the set up.</summary>
    public List<(DataType Type, ByteOrder Order, int LenBits)>? KeyParts { get; set; }
    /// <summary>Bits the elements are shifted left by in the kernel (a masked sub-byte field).</summary>
    public int Shift { get; set; }
}

/// <summary>`key map @set` / `key vmap { ... }`.</summary>
internal sealed class MapX : SExpr
{
    public SExpr Key { get; set; } = null!;
    public SetRefX Set { get; set; } = null!;
    public bool Verdict { get; init; }
}

/// <summary>A byteorder conversion (hton) in front of a host-order key: same value, other byte order.</summary>
internal sealed class UnaryX : SExpr { public SExpr Inner { get; set; } = null!; }

/// <summary>The key of a set element built by a rule (`add @s { key }`): nft postprocesses it in set element context.</summary>
internal sealed class ElementKeyX : SExpr { public SExpr Key { get; set; } = null!; }

internal sealed class VerdictX : SExpr { public string Text { get; init; } = ""; }

internal sealed class UnknownX : SExpr { public string Text { get; init; } = ""; }

/// <summary>A string prefix match printed with a trailing `*`.</summary>
internal sealed class WildcardX : SExpr { public ValueX Inner { get; set; } = null!; }

/// <summary>range_expr_is_prefix: the prefix length of the range [left, right] of <paramref name="len"/>-bit numbers,
/// or null when the range is not a whole prefix (the printers and the NAT statement read ranges this way).</summary>
internal static class RangePrefix
{
    public static int? Of(BigInteger left, BigInteger right, int len)
    {
        var x = left ^ right;
        int n1 = 0;
        while (n1 < len && !((x >> n1) & 1).IsZero) n1++;
        if (!(x >> n1).IsZero) return null;
        if (!(left & ((BigInteger.One << n1) - 1)).IsZero) return null;
        return len - n1;
    }

    /// <summary>An address range of two constants that is a whole prefix prints as one (range_expr_to_prefix).</summary>
    public static int? Of(SExpr min, SExpr max) =>
        min is ValueX a && max is ValueX b ? Of(a.Value, b.Value, a.LenBits) : null;
}
