using NftPS.Language;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.DesiredState;

/// <summary>Reads what a desired state manages and nothing else: each managed table with everything in it (chains,
/// rules, sets with their elements, named objects, flowtables), all at one ruleset generation. Other tables are never
/// dumped, so Docker's or iptables-nft's tables cost nothing and cannot be misread.</summary>
internal static class ManagedTableReader
{
    /// <summary>How many times the per-table reads start over when a commit lands between them.</summary>
    internal const int MaxAttempts = 20;

    public static NftRuleset Read(INftBackend backend, IReadOnlyList<(NftFamily Family, string Table)> tables,
        CancellationToken cancellation)
    {
        var wanted = tables.Distinct().ToList();
        var families = wanted.Select(t => t.Family).Distinct().ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int attempt = 1; ; attempt++)
        {
            // The table list first: the kernel refuses a set dump narrowed to a table that does not exist (ENOENT),
            // and a managed table the host lacks is simply one to create. Only names are listed, no table's content.
            var list = backend.ReadDescribed(new RulesetQuery
            {
                Family = families.Count == 1 ? families[0] : NftFamily.Unspecified,
                IncludeChains = false, IncludeRules = false, IncludeSets = false, IncludeElements = false,
                IncludeObjects = false, IncludeFlowtables = false,
            }, cancellation);
            uint generation = list.Generation;
            // Each table is its own consistent read; together they are one snapshot only when all carry one generation.
            var merged = new NftRuleset { NetworkNamespace = backend.NetworkNamespace, Generation = generation };
            bool moved = false;
            foreach (var (family, table) in wanted.Where(t => list.FindTable(t.Family, t.Table) is not null))
            {
                var part = backend.ReadDescribed(new RulesetQuery { Family = family, Table = table }, cancellation);
                if (part.Generation != generation)
                {
                    moved = true;
                    break;
                }
                merged.Append(part);
            }
            if (!moved) return merged;
            if (attempt >= MaxAttempts)
                throw new RulesetChangedException(attempt, clock.Elapsed, "the managed tables could not be read at one generation");
        }
    }
}
