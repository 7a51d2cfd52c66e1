using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Operations;

namespace NftPS.Language.Script;

/// <summary>`reset counter|quota [family] table name` and `reset rule [family] table chain handle N` as the typed reset
/// operations they name. A reset is a request the kernel answers at once, not a batch message, so the script evaluator
/// refuses it in a transaction and callers that do resets (Reset-NftCounter, tests) turn the command into its
/// operation here.</summary>
internal static class ScriptResets
{
    public static ResetOperation Of(ScriptCommand command)
    {
        if (command.Verb != ScriptVerb.Reset) throw new NftEvaluationException(command.Span, "not a reset command");
        if (command.Family == NftFamily.Unspecified) throw new NftEvaluationException(command.Span, "unknown family");
        ResetOperation op = command switch
        {
            ObjectCommand { Kind: "counter" or "quota" } o when o.Handle is null =>
                new ObjectResetOperation(o.Family, o.Table, o.Name, o.Kind == "quota" ? ObjectResetOperation.Quota : ObjectResetOperation.Counter),
            ObjectCommand o => throw new NftEvaluationException(o.Span, $"reset {o.Kind}: only a counter or a quota, by name, can be reset"),
            RuleCommand { Handle: { } h } r => new RuleResetOperation(r.Family, r.Table, r.Chain, h),
            RuleCommand r => throw new NftEvaluationException(r.Span, "reset rule needs the rule's handle"),
            _ => throw new NftEvaluationException(command.Span, "only counters, quotas and rules can be reset"),
        };
        try { op.Validate(); }
        catch (ArgumentException e) { throw new NftEvaluationException(command.Span, e.Message); }
        return op;
    }

    /// <summary>Why a reset is not queued with the changes of a batch.</summary>
    public static NftEvaluationException NotInBatch(ScriptCommand command) => new(command.Span,
        "reset is not part of a transaction: the kernel zeroes and answers at once (use Reset-NftCounter)");
}
