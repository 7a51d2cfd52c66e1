using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Reading;

namespace NftPS.NfTables.Rollback;

/// <summary>One table a change touches: the unit a rollback snapshots and restores.</summary>
public sealed record ScopedTable(NftFamily Family, string Name)
{
    public override string ToString() => $"{Family.ToKeyword()} {Name}";
}

/// <summary>Which tables a list of operations touches. Only these are snapshotted and restored, so what other tables
/// (another tool's, Docker's) change during the confirmation window is kept.</summary>
internal static class RollbackScope
{
    /// <summary>The tables, in first-touched order. `flush ruleset` touches every table of its family (all families
    /// when none is named): <paramref name="existing"/> lists the tables there are now.</summary>
    public static IReadOnlyList<ScopedTable> Of(IEnumerable<NftOperation> operations, IEnumerable<ScopedTable> existing)
    {
        var scope = new List<ScopedTable>();
        void Add(ScopedTable t) { if (!scope.Contains(t)) scope.Add(t); }
        var known = existing.ToList();
        foreach (var op in operations)
        {
            if (op is RulesetOperation r)
            {
                foreach (var t in known.Where(t => r.Family == NftFamily.Unspecified || t.Family == r.Family)) Add(t);
                continue;
            }
            if (TableOf(op) is { } name) Add(new ScopedTable(op.Family, name));
        }
        return scope;
    }

    private static string? TableOf(NftOperation op) => op switch
    {
        TableOperation t => t.Name,
        ChainOperation c => c.Table,
        BoundChainOperation b => b.Table,
        ChainPolicyOperation p => p.Table,
        ChainRenameOperation n => n.Table,
        RuleOperation r => r.Table,
        SetOperation s => s.Table,
        ElementOperation e => e.Table,
        ElementKeysOperation k => k.Table,
        ObjectOperation o => o.Table,
        FlowtableOperation f => f.Table,
        _ => null,
    };

    private static NftRuleset TablesOnly(INftBackend backend, CancellationToken cancellation) =>
        backend.ReadSnapshot(new RulesetQuery
        {
            DescribeRules = false, IncludeChains = false, IncludeRules = false, IncludeSets = false, IncludeElements = false,
            IncludeObjects = false, IncludeFlowtables = false,
        }, cancellation);

    /// <summary>The tables there are (names only: no chain, rule or element is read).</summary>
    public static IReadOnlyList<ScopedTable> ExistingTables(INftBackend backend, CancellationToken cancellation) =>
        TablesOnly(backend, cancellation).Tables.Select(t => new ScopedTable(t.Family, t.Name)).ToList();

    /// <summary>Only the scope's tables, each read on its own (a million-element set elsewhere costs nothing), all at
    /// one generation: read again when a commit fell between two of the reads.</summary>
    public static NftRuleset Read(INftBackend backend, IReadOnlyList<ScopedTable> scope, bool includeElements, CancellationToken cancellation)
    {
        for (int attempt = 0; ; attempt++)
        {
            var tables = TablesOnly(backend, cancellation);
            var all = new NftRuleset { Generation = tables.Generation, NetworkNamespace = backend.NetworkNamespace };
            bool consistent = true;
            try
            {
                foreach (var t in scope.Where(t => tables.FindTable(t.Family, t.Name) is not null))
                {
                    var p = backend.ReadSnapshot(new RulesetQuery
                    {
                        Family = t.Family, Table = t.Name, DescribeRules = false, IncludeElements = includeElements,
                    }, cancellation);
                    consistent &= p.Generation == tables.Generation;
                    all.Append(p);
                }
            }
            catch (NftPS.Netlink.NetlinkException ex) when (ex.Errno == NftPS.Netlink.Errors.ENOENT && attempt < 10)
            {
                consistent = false; // a scoped table was deleted between the reads
            }
            if (consistent || attempt >= 10) return Restrict(all, scope);
        }
    }

    /// <summary>The part of <paramref name="ruleset"/> that lies in <paramref name="scope"/>.</summary>
    public static NftRuleset Restrict(NftRuleset ruleset, IReadOnlyCollection<ScopedTable> scope)
    {
        bool In(NftFamily f, string table) => scope.Contains(new ScopedTable(f, table));
        var part = new NftRuleset { Generation = ruleset.Generation, Host = ruleset.Host, NetworkNamespace = ruleset.NetworkNamespace };
        part.Tables.AddRange(ruleset.Tables.Where(t => In(t.Family, t.Name)));
        part.Chains.AddRange(ruleset.Chains.Where(c => In(c.Family, c.Table)));
        part.Sets.AddRange(ruleset.Sets.Where(s => In(s.Family, s.Table)));
        part.Objects.AddRange(ruleset.Objects.Where(o => In(o.Family, o.Table)));
        part.Flowtables.AddRange(ruleset.Flowtables.Where(f => In(f.Family, f.Table)));
        part.Rules.AddRange(ruleset.Rules.Where(r => In(r.Family, r.Table)));
        return part;
    }

    /// <summary>What identifies the scope's structure: every object's kind, name and handle, each base chain's
    /// policy, each rule's place. A commit by anyone that adds, deletes, replaces or moves something in the scope
    /// changes it; traffic (counters, set elements a rule adds) does not. Drift is reported when it differs at
    /// rollback time from right after the change.</summary>
    public static string Fingerprint(NftRuleset scoped)
    {
        var lines = new List<string>();
        foreach (var t in scoped.Tables) lines.Add($"table {t.Family} {t.Name} {t.Handle} {t.Flags}");
        foreach (var c in scoped.Chains) lines.Add($"chain {c.Family} {c.Table} {c.Name} {c.Handle} {c.Policy}");
        foreach (var s in scoped.Sets) lines.Add($"set {s.Family} {s.Table} {s.Name} {s.Handle}");
        foreach (var o in scoped.Objects) lines.Add($"object {o.Family} {o.Table} {o.Name} {o.Handle}");
        foreach (var f in scoped.Flowtables) lines.Add($"flowtable {f.Family} {f.Table} {f.Name} {f.Handle}");
        foreach (var r in scoped.Rules) lines.Add($"rule {r.Family} {r.Table} {r.Chain} {r.Position} {r.Handle}");
        lines.Sort(StringComparer.Ordinal);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines)));
        return Convert.ToHexString(hash).ToLowerInvariant();
    }
}
