using NftPS.NfTables.Expressions;
using NftPS.NfTables.Writing;

namespace NftPS.Language.Linearize;

/// <summary>A rule ready for NEWRULE: kernel expressions, the anonymous sets it needs (created in the same batch
/// before it), its comment and its text.</summary>
internal sealed record CompiledRule
{
    public required IReadOnlyList<Expression> Expressions { get; init; }
    public IReadOnlyList<(SetSpec Set, IReadOnlyList<ElementSpec> Elements)> AnonymousSets { get; init; } = Array.Empty<(SetSpec, IReadOnlyList<ElementSpec>)>();
    public string? Comment { get; init; }
    /// <summary>Anonymous chains of `jump { ... }` verdicts: created (with their own rules) in the same batch before
    /// this rule, which refers to each by its transaction-local chain id.</summary>
    public IReadOnlyList<BoundChain> BoundChains { get; init; } = Array.Empty<BoundChain>();
    public required string Text { get; init; }
    /// <summary>Per expression: the source of the statement that produced it (empty when not compiled from text).</summary>
    public IReadOnlyList<Syntax.SourceSpan> ExpressionSpans { get; init; } = Array.Empty<Syntax.SourceSpan>();

    /// <summary>libnftnl text of each expression, one per line (what `nft --debug=netlink` shows).</summary>
    public IEnumerable<string> DebugLines => Expressions.Select(e => e.ToDebugString());
}

/// <summary>The rules of one `jump { }` / `goto { }` chain and the batch-local id the verdict names it by.</summary>
internal sealed record BoundChain(uint ChainId, IReadOnlyList<CompiledRule> Rules);
