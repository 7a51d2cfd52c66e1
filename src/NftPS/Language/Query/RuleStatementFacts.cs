using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Language.Query;

/// <summary>A rule's statements as query properties, read from its kernel expressions (which say exactly what the
/// kernel does, whatever the printer makes of them): the verdict, log, limit and the named sets it uses.</summary>
internal sealed class RuleStatementFacts
{
    public NftRuleAction Action { get; private set; }
    public string? Target { get; private set; }
    public string? LogPrefix { get; private set; }
    public string? LogLevel { get; private set; }
    public NftLimit? Limit { get; private set; }
    public string[] Sets { get; private set; } = Array.Empty<string>();

    public static RuleStatementFacts Read(IReadOnlyList<Expression> expressions, NftFamily family, string table, NftRuleset? ruleset)
    {
        var facts = new RuleStatementFacts();
        List<string>? sets = null;
        bool logged = false, limited = false;
        foreach (var e in expressions)
        {
            switch (e)
            {
                case ImmediateExpression { DestinationRegister: 0, Verdict: { } v }:
                    facts.Action = ActionOf(v.Code);
                    facts.Target = v.Code is VerdictCode.Jump or VerdictCode.Goto ? v.Chain : null;
                    break;
                case RejectExpression:
                    facts.Action = NftRuleAction.Reject;
                    facts.Target = null;
                    break;
                case QueueExpression:
                    facts.Action = NftRuleAction.Queue;
                    facts.Target = null;
                    break;
                case LogExpression log when !logged:
                    logged = true;
                    facts.LogPrefix = log.Prefix;
                    facts.LogLevel = log.Group is null && log.Level is { } level ? LevelName(level) : null;
                    break;
                case LimitExpression limit when !limited:
                    limited = true;
                    facts.Limit = new NftLimit(limit.Rate, NftLimit.PeriodName(limit.Unit), limit.Burst ?? 0,
                        limit.Type == LimitType.Bytes, limit.Flags is { } f && (f & LimitFlags.Invert) != 0);
                    break;
                case LookupExpression l: AddSet(ref sets, l.SetName, family, table, ruleset); break;
                case DynsetExpression d: AddSet(ref sets, d.SetName, family, table, ruleset); break;
                case ObjrefExpression { SetName: { } name }: AddSet(ref sets, name, family, table, ruleset); break;
            }
        }
        if (sets is not null) facts.Sets = sets.ToArray();
        return facts;
    }

    private static NftRuleAction ActionOf(VerdictCode code) => code switch
    {
        VerdictCode.Accept => NftRuleAction.Accept,
        VerdictCode.Drop => NftRuleAction.Drop,
        VerdictCode.Jump => NftRuleAction.Jump,
        VerdictCode.Goto => NftRuleAction.Goto,
        VerdictCode.Return => NftRuleAction.Return,
        VerdictCode.Continue => NftRuleAction.Continue,
        VerdictCode.Queue => NftRuleAction.Queue,
        _ => NftRuleAction.None,
    };

    /// <summary>The level words New-NftRule -LogLevel and nft use.</summary>
    private static string LevelName(LogLevel level) => level switch
    {
        NfTables.Expressions.LogLevel.Emerg => "emerg",
        NfTables.Expressions.LogLevel.Alert => "alert",
        NfTables.Expressions.LogLevel.Crit => "crit",
        NfTables.Expressions.LogLevel.Err => "err",
        NfTables.Expressions.LogLevel.Warning => "warn",
        NfTables.Expressions.LogLevel.Notice => "notice",
        NfTables.Expressions.LogLevel.Info => "info",
        NfTables.Expressions.LogLevel.Debug => "debug",
        NfTables.Expressions.LogLevel.Audit => "audit",
        _ => ((uint)level).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // Anonymous sets are the rule's own literals (their values are in the match properties), not sets it uses.
    private static void AddSet(ref List<string>? sets, string name, NftFamily family, string table, NftRuleset? ruleset)
    {
        if (string.IsNullOrEmpty(name)) return;
        var set = ruleset?.FindSet(family, table, name);
        if (set is not null ? set.IsAnonymous : name.StartsWith("__", StringComparison.Ordinal)) return;
        sets ??= new List<string>(2);
        if (!sets.Contains(name)) sets.Add(name);
    }
}
