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
        if (command.Family == NftFamily.Unspecified && command is not ObjectsResetCommand) throw new NftEvaluationException(command.Span, "unknown family");
        ResetOperation op = command switch
        {
            ObjectsResetCommand d => new ObjectsResetOperation(d.Family, d.Table, d.Kind == "quota" ? ObjectResetOperation.Quota : ObjectResetOperation.Counter),
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

    /// <summary>A reset in a file, as nft 1.0.6's grammar has them: counters and quotas only (`reset rule…` is nft
    /// 1.0.8's; nft 1.0.6 refuses it with this syntax error).</summary>
    public static ResetOperation InFile(ScriptCommand command) => command switch
    {
        ObjectsResetCommand or ObjectCommand { Kind: "counter" or "quota" } => Of(command),
        _ => throw new NftEvaluationException(command.Span,
            $"syntax error, unexpected {Word(command)}, expecting counter or counters or quotas or quota"),
    };

    private static string Word(ScriptCommand c) => c switch
    {
        RuleCommand => "rule", SetCommand => "set", ElementCommand => "element", ChainCommand => "chain", TableCommand => "table",
        ObjectCommand o => o.Kind, RulesetCommand => "ruleset", _ => "string",
    };

    /// <summary>Why a reset is not queued with the changes of a batch.</summary>
    public static NftEvaluationException NotInBatch(ScriptCommand command) => new(command.Span,
        "reset is not part of a transaction: the kernel zeroes and answers at once (use Reset-NftCounter)");
}
