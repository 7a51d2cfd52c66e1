using NftPS.NfTables.Expressions;
using NftPS.NfTables.Writing;

namespace NftPS.NfTables.Operations;

/// <summary>add/insert/replace/delete/destroy rule. A new rule holds its compiled kernel expressions and its text
/// (the rule as nft writes it, without the comment, which is <see cref="Comment"/>).</summary>
internal sealed record RuleOperation : NftOperation
{
    public RuleOperation(NftVerb verb, NftFamily family, string table, string chain) : base(verb, family)
    {
        Table = table;
        Chain = chain;
    }

    public string Table { get; }
    public string Chain { get; }
    /// <summary>The rule replaced or deleted.</summary>
    public ulong? Handle { get; init; }
    public IReadOnlyList<Expression> Expressions { get; init; } = Array.Empty<Expression>();
    /// <summary>For display only: two rules sending the same expressions are the same operation.</summary>
    public string Text { get; init; } = "";
    public RulePlacement Placement { get; init; } = RulePlacement.Append;
    public string? Comment { get; init; }
    /// <summary>Batch-local id of the new rule, so a later rule of the batch can be placed next to it.</summary>
    public uint? RuleId { get; init; }
    /// <summary>The batch-local id of the bound chain this rule belongs to (its <see cref="Chain"/> is then only a label).</summary>
    public uint? ChainId { get; init; }

    public override NftObjectKind Kind => NftObjectKind.Rule;
    public override bool IsImplied => ChainId is not null;

    public override string ToCommandText()
    {
        string head = $"{VerbText} rule {FamilyText} {N(Table)} {N(Chain)}";
        string comment = Comment is null ? "" : $" comment {Quote(Comment)}";
        return Verb switch
        {
            NftVerb.Delete or NftVerb.Destroy => $"{head} handle {Handle}",
            NftVerb.Replace => $"{head} handle {Handle} {Text}{comment}",
            _ => head + (Placement.Handle is { } ph ? $" position {ph}" : Placement.RuleIdInBatch is { } pid ? $" index-of-new-rule {pid}" : "") +
                 $" {Text}{comment}",
        };
    }

    public override void Validate()
    {
        Require(Verb is NftVerb.Add or NftVerb.Insert or NftVerb.Replace or NftVerb.Delete or NftVerb.Destroy, "this verb does not apply to a rule");
        if (Verb is NftVerb.Replace or NftVerb.Delete or NftVerb.Destroy) Require(Handle is not null, "the rule's handle is needed");
        Require(Verb != NftVerb.Insert || Placement.Insert, "an inserted rule is placed before its position");
    }

    public bool Equals(RuleOperation? other) =>
        other is not null && base.Equals(other) && Table == other.Table && Chain == other.Chain && Handle == other.Handle &&
        Placement == other.Placement && Comment == other.Comment && RuleId == other.RuleId && ChainId == other.ChainId &&
        OperationEquality.SameExpressions(Expressions, other.Expressions);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Table, Chain, Handle, Expressions.Count);
}
