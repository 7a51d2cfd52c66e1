using System.Text;
using NftPS.NfTables;
using NftPS.Language.DataTypes;
using NftPS.Language.Delinearize;
using NftPS.Language.Model;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Language.Printing;

/// <summary>A match of a rule in nft terms: `tcp dport` `!=` `22`.</summary>
internal sealed record NftMatchPart(string Field, string Operator, string Value)
{
    public override string ToString() => Operator.Length == 0 ? $"{Field} {Value}" : $"{Field} {Operator} {Value}";
}

/// <summary>A statement of a rule: kind (counter, log, nat, verdict...) and its nft text.</summary>
internal sealed record NftStatementPart(string Kind, string Text)
{
    public override string ToString() => Text;
}

/// <summary>Kernel expressions of a rule → the text nft 1.0.6 lists for it (without comment and handle).</summary>
internal static class RuleTextPrinter
{
    public static string Print(NftRule rule, NftRuleset ruleset, bool stateless) =>
        Describe(rule, ruleset, PrintOptions.Default with { Stateless = stateless }).Text;

    public static (string Text, IReadOnlyList<object> Parts, string? Verdict, bool Undecoded) Describe(NftRule rule, NftRuleset ruleset) =>
        Describe(rule, ruleset, PrintOptions.Default);

    public static (string Text, IReadOnlyList<object> Parts, string? Verdict, bool Undecoded) Describe(
        NftRule rule, NftRuleset? ruleset, PrintOptions options) =>
        Describe(rule.Family, rule.Table, ExpressionsOf(rule), ruleset, options);

    /// <summary>The decoded expressions, decoding NFTA_RULE_EXPRESSIONS when the reader kept only the raw bytes.</summary>
    private static IReadOnlyList<Expression> ExpressionsOf(NftRule rule) =>
        rule.Expressions.Count == 0 && rule.RawExpressions.Length > 0 ? ExpressionCodec.DecodeList(rule.RawExpressions) : rule.Expressions;

    public static (string Text, IReadOnlyList<object> Parts, string? Verdict, bool Undecoded) Describe(
        NftFamily family, string table, IReadOnlyList<Expression> expressions, NftRuleset? ruleset, PrintOptions options)
    {
        var parser = new RuleParser(family, table, ruleset);
        parser.Parse(expressions);
        bool undecoded = parser.Undecoded;
        List<SStmt> stmts;
        try
        {
            stmts = new Postprocessor(family).Run(parser.Statements);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException)
        {
            return (string.Join(" ", expressions.Select(e => e.ToDebugString())), Array.Empty<object>(), null, true);
        }
        var printer = new ExprPrinter(ruleset, options);
        // Taken out while in use: a jump to a binding chain describes that chain's rules from inside this loop.
        var texts = _textBuilder ?? new StringBuilder(256);
        _textBuilder = null;
        var parts = new List<object>(stmts.Count);
        string? verdict = null;
        bool first = true;
        foreach (var s in stmts)
        {
            string text;
            string? printedLeft = null;
            try
            {
                text = s is MatchS match ? printer.PrintMatch(match, out printedLeft) : printer.PrintStatement(s);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException or OverflowException)
            {
                text = "unknown";
                undecoded = true;
            }
            // nft separates statements, not texts: an xt comment match prints nothing and still gets its space.
            if (!first) texts.Append(' ');
            first = false;
            texts.Append(text);
            switch (s)
            {
                case MatchS m:
                {
                    string field = printedLeft ?? printer.Print(m.Left);
                    string value = text.Length > field.Length ? text[field.Length..].TrimStart() : "";
                    string op = m.Op switch { RelOp.Neq => "!=", RelOp.Lt => "<", RelOp.Lte => "<=", RelOp.Gt => ">", RelOp.Gte => ">=", RelOp.Neg => "!", _ => "" };
                    if (op.Length > 0 && value.StartsWith(op, StringComparison.Ordinal)) value = value[op.Length..].TrimStart();
                    if (value.StartsWith("== ", StringComparison.Ordinal)) { op = "=="; value = value[3..]; }
                    parts.Add(new NftMatchPart(field, op, value));
                    break;
                }
                default:
                    parts.Add(new NftStatementPart(s.Kind, text));
                    if (VerdictOf(s, text) is { } v) verdict = v;
                    if (s is UnknownS) undecoded = true;
                    break;
            }
        }
        string ruleText = texts.ToString();
        if (texts.Capacity <= 4096)
        {
            texts.Clear();
            _textBuilder = texts;
        }
        return (ruleText, parts, verdict, undecoded);
    }

    /// <summary>What the rule does with the packet when this statement ends it: the verdict, `queue`, `reject`, or
    /// the verb of a terminal statement (snat, masquerade, tproxy, fwd…); null for the others.</summary>
    private static string? VerdictOf(SStmt s, string text) => s switch
    {
        VerdictS v => v.Verdict.ToString(),
        QueueS => "queue",
        RejectS => "reject",
        NatS or TproxyS or FwdS => text.Split(' ')[0],
        _ => null,
    };

    // Rule text is assembled in one builder per thread instead of a list of statement texts joined per rule.
    [ThreadStatic] private static StringBuilder? _textBuilder;
}
