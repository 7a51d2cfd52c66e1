using NftPS.Language.Delinearize;
using NftPS.Language.Model;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Language.Query;

/// <summary>A rule's typed query properties: its matches from the delinearized tree (the same typed matches the
/// printer prints), its statements from the kernel expressions. Never throws: a rule it cannot read gets empty
/// properties (its text and HasUndecodedExpressions tell the rest).</summary>
internal static class RuleFactsExtractor
{
    /// <summary>The source the reader gives every rule of one snapshot (anonymous sets are looked up there).</summary>
    public static Func<NftRule, NftRuleFacts> SourceFor(NftRuleset? ruleset) => rule => Extract(rule, ruleset);

    public static NftRuleFacts Extract(NftRule rule, NftRuleset? ruleset)
    {
        IReadOnlyList<Expression> expressions;
        try
        {
            expressions = rule.Expressions.Count == 0 && rule.RawExpressions.Length > 0
                ? ExpressionCodec.DecodeList(rule.RawExpressions) : rule.Expressions;
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            return NftRuleFacts.Empty;
        }
        var statements = RuleStatementFacts.Read(expressions, rule.Family, rule.Table, ruleset);
        var (matches, not) = ReadMatches(rule.Family, rule.Table, expressions, ruleset);
        return new NftRuleFacts
        {
            Matches = matches,
            Not = not,
            Action = statements.Action,
            Target = statements.Target,
            LogPrefix = statements.LogPrefix,
            LogLevel = statements.LogLevel,
            Limit = statements.Limit,
            Sets = statements.Sets,
        };
    }

    private static bool IsDecodeFailure(Exception ex) =>
        ex is InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException
            or ArithmeticException or FormatException or InvalidCastException or KeyNotFoundException or NotSupportedException
            or InvalidDataException or NftPS.Netlink.NetlinkException;

    private static (NftMatchValues, NftMatchValues) ReadMatches(NftFamily family, string table,
        IReadOnlyList<Expression> expressions, NftRuleset? ruleset)
    {
        List<SStmt> stmts;
        try
        {
            var parser = new RuleParser(family, table, ruleset);
            parser.Parse(expressions);
            stmts = new Postprocessor(family).Run(parser.Statements);
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            return (NftMatchValues.Empty, NftMatchValues.Empty);
        }
        var yes = new MatchCollector();
        var no = new MatchCollector();
        foreach (var s in stmts)
        {
            if (s is not MatchS m) continue;
            try
            {
                MatchReader.Read(m, m.Op is RelOp.Neq or RelOp.Neg ? no : yes, yes);
            }
            catch (Exception ex) when (IsDecodeFailure(ex))
            {
                // One match we cannot type leaves the others.
            }
        }
        return (yes.ToValues(), no.ToValues());
    }
}

/// <summary>The values found per field while reading one rule's matches (each value once, in rule order).</summary>
internal sealed class MatchCollector
{
    public readonly List<string> Protocol = new();
    public readonly List<object> SourceAddress = new();
    public readonly List<object> DestinationAddress = new();
    public readonly List<object> SourcePort = new();
    public readonly List<object> DestinationPort = new();
    public readonly List<string> InputInterface = new();
    public readonly List<string> OutputInterface = new();
    public readonly List<string> ConnectionState = new();
    public readonly List<uint> User = new();

    public static void AddOnce<T>(List<T> list, T value)
    {
        if (!list.Contains(value)) list.Add(value);
    }

    public NftMatchValues ToValues()
    {
        if (Protocol.Count + SourceAddress.Count + DestinationAddress.Count + SourcePort.Count + DestinationPort.Count +
            InputInterface.Count + OutputInterface.Count + ConnectionState.Count + User.Count == 0)
            return NftMatchValues.Empty;
        return new NftMatchValues
        {
            Protocol = Protocol.ToArray(),
            SourceAddress = SourceAddress.ToArray(),
            DestinationAddress = DestinationAddress.ToArray(),
            SourcePort = SourcePort.ToArray(),
            DestinationPort = DestinationPort.ToArray(),
            InputInterface = InputInterface.ToArray(),
            OutputInterface = OutputInterface.ToArray(),
            ConnectionState = ConnectionState.ToArray(),
            User = User.ToArray(),
        };
    }
}
