using NftPS.Language;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.Language.Printing;
using NftPS.NfTables.Reading;

namespace NftPS.Tests.Conformance;

/// <summary>The plug-in point for NftPS's side of the conformance comparisons. The harness asks only these two
/// factories; to compare another reader or printer, change them (or add another IRuleTextReader and pass it to
/// <see cref="ReplayOptions.Readers"/>).</summary>
public static class NftPsReaders
{
    /// <summary>Rule text: RulesetReader (model) + RulesetPrinter.RuleLine (text from lang's RuleTextPrinter, plus
    /// comment), compared with plain `nft list` (counters with values, protocol names).</summary>
    public static IRuleTextReader RuleTexts() => new NftPsRuleTextReader(stateless: false);

    /// <summary>Whole ruleset: RulesetReader + RulesetPrinter.Print, compared with plain `nft list ruleset`.</summary>
    public static IRulesetTextReader RulesetText() => new NftPsRulesetTextReader(stateless: false);

    /// <summary>Reads everything in a namespace with NftPS.</summary>
    public static NftRuleset Read(string networkNamespace)
    {
        using var connection = NfTablesConnection.Open(networkNamespace);
        var ruleset = new RulesetReader(connection).ReadDescribed();
        DecodeExpressions(ruleset);
        return ruleset;
    }

    /// <summary>Glue until the reader fills <see cref="NftRule.Expressions"/> itself: lang's printer reads the
    /// typed expressions, model's reader only keeps the raw NFTA_RULE_EXPRESSIONS payload.</summary>
    private static void DecodeExpressions(NftRuleset ruleset)
    {
        foreach (var rule in ruleset.Rules)
            if (rule.Expressions.Count == 0 && rule.RawExpressions.Length > 0)
                rule.Expressions = ExpressionCodec.DecodeList(rule.RawExpressions);
    }
}

public sealed class NftPsRuleTextReader(bool stateless) : IRuleTextReader
{
    public string Name => "NftPS RulesetReader + RulesetPrinter.RuleLine";
    public ListingStyle Style => new(stateless, false);
    public string? UnavailableReason => null;

    public IReadOnlyDictionary<RuleLocation, string> ReadRuleTexts(string networkNamespace)
    {
        var ruleset = NftPsReaders.Read(networkNamespace);
        var options = new RulesetPrintOptions { Stateless = stateless };
        var texts = new Dictionary<RuleLocation, string>();
        foreach (var rule in ruleset.Rules)
        {
            string text;
            try
            {
                text = RulesetPrinter.RuleLine(rule, ruleset, options);
            }
            catch (Exception e)
            {
                text = $"<printer threw {e.GetType().Name}: {e.Message}>";
            }
            texts[new RuleLocation(rule.Family.ToKeyword(), rule.Table, rule.Chain, rule.Handle)] = text;
        }
        return texts;
    }
}

public sealed class NftPsRulesetTextReader(bool stateless) : IRulesetTextReader
{
    public string Name => "NftPS RulesetReader + RulesetPrinter.Print";
    public ListingStyle Style => new(stateless, false);
    public string? UnavailableReason => null;

    public string ReadRulesetText(string networkNamespace) =>
        RulesetPrinter.Print(NftPsReaders.Read(networkNamespace), new RulesetPrintOptions { Stateless = stateless });
}
