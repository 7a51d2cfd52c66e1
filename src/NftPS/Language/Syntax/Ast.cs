using NftPS.Language.DataTypes;
using NftPS.Language.Protocols;

namespace NftPS.Language.Syntax;

/// <summary>An expression of the nft language. The parser fills the syntax; the evaluator fills
/// <see cref="Type"/>, <see cref="LengthBits"/> and <see cref="ByteOrder"/> and replaces symbols by values.</summary>
internal abstract class Node
{
    public SourceSpan Span { get; set; }
    public DataType Type { get; set; } = DataTypeRegistry.Invalid;
    public int LengthBits { get; set; }
    public ByteOrder ByteOrder { get; set; }
}

/// <summary>An unresolved word or quoted string on the right of a match: `ssh`, `22`, `10.0.0.1`, `"eth0"`, `established`.</summary>
internal sealed class SymbolNode : Node
{
    public required string Text { get; init; }
    public bool Quoted { get; init; }
    public override string ToString() => Quoted ? $"\"{Text}\"" : Text;
}

/// <summary>`$name`, replaced by the definition's expression during parsing of a script.</summary>
internal sealed class VariableNode : Node
{
    public required string Name { get; init; }
    public override string ToString() => "$" + Name;
}

/// <summary>A resolved constant: register bytes of <see cref="Node.LengthBits"/> in <see cref="Node.ByteOrder"/>.</summary>
internal sealed class ValueNode : Node
{
    public required System.Numerics.BigInteger Value { get; set; }
    /// <summary>Strings (ifname "eth*"): the bytes to compare, shorter than the type length for wildcards.</summary>
    public byte[]? StringBytes { get; init; }
    public bool Wildcard { get; init; }
    public override string ToString() => StringBytes is not null ? $"\"{System.Text.Encoding.UTF8.GetString(StringBytes)}\"" : Value.ToString();
}

/// <summary>`@set` reference.</summary>
internal sealed class SetRefNode : Node
{
    public required string Name { get; init; }
    public override string ToString() => "@" + Name;
}

/// <summary>A header field: `tcp dport`, `ip saddr`, or raw `@th,16,16`.</summary>
internal sealed class PayloadNode : Node
{
    public HeaderDesc? Header { get; set; }
    public HeaderField? Field { get; set; }
    public ProtoBase Base { get; set; }
    public int OffsetBits { get; set; }
    public bool Raw { get; init; }
    /// <summary>Inner vlan/ether stacking offset added by the evaluator (bridge/netdev vlan after ether).</summary>
    public int ExtraOffsetBits { get; set; }
    /// <summary>`vxlan ip saddr`: the field of the packet inside this tunnel (an `inner` expression).</summary>
    public TunnelDesc? Inner { get; set; }
    public override string ToString() => Raw ? $"@{Base},{OffsetBits},{LengthBits}" : $"{Header?.Name} {Field?.Name}";
}

/// <summary>Extension header, TCP option, IP option or SCTP chunk field; `exists` when Field is null.</summary>
internal sealed class ExthdrNode : Node
{
    public required ExthdrOp Op { get; init; }
    public required ExthdrDesc Desc { get; init; }
    public HeaderField? Field { get; init; }
    public int OffsetBits { get; set; }
    public bool Exists { get; set; }
    public override string ToString() => $"{Op} {Desc.Name} {Field?.Name}";
}

internal sealed class MetaNode : Node
{
    public required MetaKey Key { get; init; }
    /// <summary>A meta key of the packet inside this tunnel (the inner dependencies `meta protocol`, `meta l4proto`).</summary>
    public TunnelDesc? Inner { get; set; }
    public override string ToString() => Key.Text;
}

internal sealed class CtNode : Node
{
    public required CtKey Key { get; init; }
    public int? Direction { get; init; }
    /// <summary>`ct original ip saddr` forms pin the address family.</summary>
    public int? NfProto { get; init; }
    public override string ToString() => "ct " + Key.Token;
}

/// <summary>rt, socket, xfrm, osf, fib, numgen, hash, cgroup-like keyed loads.</summary>
internal sealed class KeyedNode : Node
{
    public required string Kind { get; init; }
    public required int Key { get; init; }
    public int? Direction { get; init; }
    public int? Level { get; init; }
    public int? Spnum { get; init; }
    public uint Flags { get; set; }
    public uint Modulus { get; init; }
    public uint Offset { get; init; }
    public uint Seed { get; init; }
    public bool SeedSet { get; init; }
    public Node? HashInput { get; set; }
    public bool Ttl { get; init; }
    public override string ToString() => Kind;
}

internal sealed class ConcatNode : Node
{
    public List<Node> Items { get; } = new();
    public override string ToString() => string.Join(" . ", Items);
}

internal sealed class PrefixNode : Node
{
    public required Node Inner { get; set; }
    public required int PrefixLength { get; init; }
    public override string ToString() => $"{Inner}/{PrefixLength}";
}

internal sealed class RangeNode : Node
{
    public required Node Low { get; set; }
    public required Node High { get; set; }
    public override string ToString() => $"{Low}-{High}";
}

/// <summary>A comma list outside braces: `established,related`, `syn,ack`.</summary>
internal sealed class ListNode : Node
{
    public List<Node> Items { get; } = new();
    public override string ToString() => string.Join(",", Items);
}

/// <summary>An element inside `{ }` with its options (timeout, expires, comment, counter...).</summary>
internal sealed class SetElementNode : Node
{
    public required Node Key { get; set; }
    public ulong? TimeoutMs { get; set; }
    public ulong? ExpiresMs { get; set; }
    public string? Comment { get; set; }
    public List<StatementNode> Statements { get; } = new();
    public override string ToString() => Key.ToString()!;
}

/// <summary>`key : value` inside a map literal.</summary>
internal sealed class MappingNode : Node
{
    public required Node Key { get; set; }
    public required Node Value { get; set; }
    public override string ToString() => $"{Key} : {Value}";
}

/// <summary>`{ a, b, c }` — an anonymous set or map literal (or a named set's element list).</summary>
internal sealed class SetNode : Node
{
    public List<Node> Elements { get; } = new();
    public bool IsMap => Elements.Any(e => e is MappingNode || (e is SetElementNode s && s.Key is MappingNode));
    public override string ToString() => "{ " + string.Join(", ", Elements) + " }";
}

/// <summary>`*` catch-all element.</summary>
internal sealed class CatchAllNode : Node { public override string ToString() => "*"; }

/// <summary>`EXPR map { ... }` / `EXPR map @m`, and `vmap` when <see cref="IsVerdictMap"/>.</summary>
internal sealed class MapLookupNode : Node
{
    public required Node Key { get; set; }
    public required Node Map { get; set; }
    public bool IsVerdictMap { get; init; }
    public override string ToString() => $"{Key} {(IsVerdictMap ? "vmap" : "map")} {Map}";
}

internal enum BinaryOp { And, Or, Xor, LShift, RShift }

internal sealed class BinaryNode : Node
{
    public required BinaryOp Op { get; init; }
    public required Node Left { get; set; }
    public required Node Right { get; set; }
    public override string ToString() => $"{Left} {Op} {Right}";
}

/// <summary>accept, drop, continue, return, jump X, goto X, queue.</summary>
internal sealed class VerdictNode : Node
{
    public required string Verdict { get; init; }
    public string? Chain { get; init; }
    public Node? ChainExpr { get; init; }
    /// <summary>`jump { rule; rule }`: the rules of an anonymous chain bound to this verdict (nft's chain binding).</summary>
    public IReadOnlyList<RuleNode>? Body { get; init; }
    public override string ToString() => Body is not null ? $"{Verdict} {{ {string.Join("; ", Body.Select(r => r.Text))} }}"
        : Chain is null ? Verdict : $"{Verdict} {Chain}";
}

/// <summary>`Neg` is nft's `!`: none of the flags set (`tcp flags ! fin,rst`).</summary>
internal enum RelOp { Implicit, Eq, Neq, Lt, Gt, Lte, Gte, And, Neg }

// ---------------------------------------------------------------- statements

internal abstract class StatementNode
{
    public SourceSpan Span { get; set; }
}

/// <summary>`LEFT [op] RIGHT` match.</summary>
internal sealed class MatchStatement : StatementNode
{
    public required Node Left { get; set; }
    public RelOp Op { get; set; }
    public required Node Right { get; set; }
    public SourceSpan OpSpan { get; set; }
}

internal sealed class VerdictStatement : StatementNode
{
    public required Node Verdict { get; set; }
}

/// <summary>A statement with keyword and options kept as parsed (counter, log, limit, quota, reject, nat...).</summary>
internal sealed class ActionStatement : StatementNode
{
    public required string Kind { get; init; }
    public Dictionary<string, object?> Options { get; } = new();
    public T? Get<T>(string key) => Options.TryGetValue(key, out var v) && v is T t ? t : default;
    public bool Has(string key) => Options.ContainsKey(key);
}

/// <summary>`meta mark set X`, `ct mark set X`, `ip dscp set X`, `tcp option maxseg size set X`.</summary>
internal sealed class SetStatement : StatementNode
{
    public required Node Target { get; set; }
    public required Node Value { get; set; }
}

/// <summary>`add @s { key [stmts] }`, `update @s { ... }`, `delete @s { ... }`, meters.</summary>
internal sealed class DynsetStatement : StatementNode
{
    public required string Operation { get; set; }
    public required string SetName { get; init; }
    public SourceSpan SetSpan { get; init; }
    public required Node Key { get; set; }
    public Node? Data { get; set; }
    public ulong? TimeoutMs { get; set; }
    public List<StatementNode> Statements { get; } = new();
    /// <summary>meter NAME [size N] { ... } creates the set.</summary>
    public bool IsMeter { get; init; }
    public uint? MeterSize { get; init; }
}

/// <summary>`counter name X`, `quota name X`, `ct helper set X`, `limit name X`, ... (objref).</summary>
internal sealed class ObjectRefStatement : StatementNode
{
    public required int ObjectType { get; init; }
    public required Node Name { get; set; }
}

internal sealed class RuleNode
{
    public List<StatementNode> Statements { get; } = new();
    public string? Comment { get; set; }
    public SourceSpan Span { get; set; }
    public string Text => Span.Text;
}
