using NftPS.Language;
using NftPS.Language.Printing;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Cmdlets;

/// <summary>The one seam between the cmdlets and the reading/printing core.</summary>
internal static class RulesetSource
{
    public static NftRuleset Read(INftBackend backend, RulesetQuery query, CancellationToken cancellation) =>
        backend.ReadDescribed(query, cancellation);

    /// <summary>The ruleset as `nft list ruleset` (or `nft -s list ruleset`) prints it.</summary>
    public static string Print(NftRuleset ruleset, bool stateless) =>
        RulesetPrinter.Print(ruleset, new RulesetPrintOptions { Stateless = stateless, Strict = true });

    /// <summary>A rule heard on its own (an event), described with the sets known so far: its text, parts and verdict
    /// filled in; null (and the rule left as decoded) when it cannot be printed without the rest of its ruleset.</summary>
    public static string? TryDescribe(NftRule rule, NftRuleset context)
    {
        try
        {
            var (text, parts, verdict, undecoded) = RuleTextPrinter.Describe(rule, context);
            rule.Text = text;
            rule.StatelessText = text;
            rule.Parts = parts;
            if (verdict is not null) rule.Verdict = verdict;
            rule.HasUndecodedExpressions |= undecoded;
            return text;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException or InvalidDataException or NullReferenceException)
        {
            return null;
        }
    }

    /// <summary>A query for tables (always: not-found checks need them) plus only the kinds a cmdlet shows.
    /// The table narrows the dumps only when it is one exact name.</summary>
    public static RulesetQuery Query(NftFamily? family, NameFilter? tables, bool chains = false, bool rules = false,
        bool sets = false, bool elements = false, bool objects = false, bool flowtables = false) => new()
        {
            Family = family ?? NftFamily.Unspecified,
            Table = tables?.SingleLiteral,
            IncludeTables = true,
            IncludeChains = chains,
            IncludeRules = rules,
            IncludeSets = sets || elements,
            IncludeElements = elements,
            IncludeObjects = objects,
            IncludeFlowtables = flowtables,
        };
}
