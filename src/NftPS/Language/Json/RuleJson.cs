using System.Text.Json.Nodes;
using NftPS.Language.DataTypes;
using NftPS.Language.Delinearize;
using NftPS.Language.Model;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Language.Json;

/// <summary>A rule's statements in libnftables JSON: the kernel expressions go through the same delinearizer and
/// postprocessor as <see cref="RuleTextPrinter"/>, then each statement is written as nft 1.0.6 writes it.</summary>
internal static class RuleJson
{
    public static JsonArray Statements(NftRule rule, NftRuleset? ruleset, PrintOptions? options = null) =>
        Statements(rule.Family, rule.Table, ExpressionsOf(rule), ruleset, options ?? PrintOptions.Default);

    public static JsonArray Statements(NftFamily family, string table, IReadOnlyList<Expression> expressions, NftRuleset? ruleset, PrintOptions options)
    {
        var parser = new RuleParser(family, table, ruleset);
        parser.Parse(expressions);
        if (parser.Undecoded)
            throw new NftJsonUnsupportedException("a rule whose expressions could not all be decoded: " + string.Join(" ", expressions.Select(e => e.ToDebugString())));
        List<SStmt> stmts;
        try
        {
            stmts = new Postprocessor(family).Run(parser.Statements);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException)
        {
            throw new NftJsonUnsupportedException("a rule the delinearizer could not postprocess (" + ex.Message + ")");
        }
        var j = new ExprJson(ruleset, options);
        var array = new JsonArray();
        foreach (var s in stmts) array.Add(StatementJson.Of(s, j));
        return array;
    }

    private static IReadOnlyList<Expression> ExpressionsOf(NftRule rule) =>
        rule.Expressions.Count == 0 && rule.RawExpressions.Length > 0 ? ExpressionCodec.DecodeList(rule.RawExpressions) : rule.Expressions;
}
