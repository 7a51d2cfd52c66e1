using NftPS.Language.Printing;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Language;

/// <summary>What the language layer adds to a ruleset read from the kernel: each set's type texts and each rule's
/// text, parts and verdict as nft shows them. The NfTables reader returns model objects only (it knows no nft
/// language), so everything that shows or matches on text reads through here.</summary>
internal static class RulesetDescriber
{
    /// <summary>A consistent snapshot (see <see cref="RulesetReader.Read"/>), described: set types always, rules when
    /// <see cref="RulesetQuery.DescribeRules"/> says so. Described once, after the snapshot is known consistent.</summary>
    public static NftRuleset ReadDescribed(this RulesetReader reader, RulesetQuery? query = null, CancellationToken cancellation = default)
    {
        query ??= RulesetQuery.Everything;
        return Describe(reader.Read(query, cancellation), query);
    }

    /// <summary>A backend's consistent snapshot, described the same way.</summary>
    public static NftRuleset ReadDescribed(this INftBackend backend, RulesetQuery? query = null, CancellationToken cancellation = default)
    {
        query ??= RulesetQuery.Everything;
        return Describe(backend.ReadSnapshot(query, cancellation), query);
    }

    private static NftRuleset Describe(NftRuleset rs, RulesetQuery query)
    {
        DescribeSets(rs);
        if (query.IncludeRules && query.DescribeRules) DescribeRules(rs);
        return rs;
    }

    /// <summary>Each set's KeyTypeText/KeyTypeofText/DataTypeText, what New-NftSet and New-NftMap bind.</summary>
    internal static void DescribeSets(NftRuleset rs)
    {
        foreach (var set in rs.Sets) SetTypePrinter.Describe(set);
    }

    /// <summary>Rule text, parts and verdict as nft shows them, from the language layer.</summary>
    internal static void DescribeRules(NftRuleset rs)
    {
        var factsSource = Query.RuleFactsExtractor.SourceFor(rs);
        foreach (var rule in rs.Rules)
        {
            var (text, parts, verdict, undecoded) = RuleTextPrinter.Describe(rule, rs);
            rule.Text = text;
            // Printed a second time only when the rule holds state (counter, quota, last...), which the text shows.
            rule.StatelessText = rule.Expressions.Any(e => e.Name is "counter" or "quota" or "last" or "connlimit" or "limit")
                ? RuleTextPrinter.Print(rule, rs, stateless: true) : text;
            rule.Parts = parts;
            if (verdict is not null) rule.Verdict = verdict;
            rule.HasUndecodedExpressions |= undecoded;
            // The typed query properties are computed from the same snapshot the first time one is read.
            rule.FactsSource = factsSource;
        }
    }
}
