using NftPS.Netlink;
using NftPS.NfTables.Model;

namespace NftPS.NfTables.Reading;

/// <summary>What to read. Null names mean "all"; the Include switches say which kinds of object to fetch at all,
/// so listing one chain's rules costs one rule dump, not a whole ruleset.</summary>
internal sealed record RulesetQuery
{
    public NftFamily Family { get; init; } = NftFamily.Unspecified;
    public string? Table { get; init; }
    /// <summary>Only this chain (and only its rules).</summary>
    public string? Chain { get; init; }
    /// <summary>Only this set or map.</summary>
    public string? Set { get; init; }
    public bool IncludeTables { get; init; } = true;
    public bool IncludeChains { get; init; } = true;
    public bool IncludeRules { get; init; } = true;
    public bool IncludeSets { get; init; } = true;
    /// <summary>Fetch the elements of named sets (one GETSETELEM dump per set). Anonymous sets' elements are
    /// fetched whenever rules are, because rules print them inline.</summary>
    public bool IncludeElements { get; init; } = true;
    public bool IncludeObjects { get; init; } = true;
    public bool IncludeFlowtables { get; init; } = true;
    /// <summary>Fill each rule's Text, Parts and Verdict (costs a delinearization per rule). Read by the language
    /// layer's RulesetDescriber.ReadDescribed; this reader returns model objects only and never describes.</summary>
    public bool DescribeRules { get; init; } = true;

    public static RulesetQuery Everything { get; } = new();

    internal bool Matches(NftFamily family, string table) =>
        (Family == NftFamily.Unspecified || Family == family) && (Table is null || Table == table);
}

/// <summary>Thrown when no consistent snapshot could be read because the ruleset kept changing.</summary>
public sealed class RulesetChangedException : Exception
{
    public RulesetChangedException(int attempts, TimeSpan spent, string? lastReason = null)
        : base($"The ruleset kept changing while it was being read; gave up after {attempts} attempts in {spent.TotalSeconds:0.0} s" +
               (lastReason is null ? "." : $" ({lastReason})."))
    {
        Attempts = attempts;
    }

    public int Attempts { get; }
}

/// <summary>Reads a consistent snapshot the way nft 1.0.6 does: GETGEN, the dumps, GETGEN again; if the generation
/// moved, a dump was flagged NLM_F_DUMP_INTR, or a reply carried another generation in res_id, start over.
/// Beyond nft: a hash set's dump that holds one key twice was taken while the kernel resized the table (the dump
/// resumes by position, so elements moved meanwhile come twice or not at all) and is read again too.
/// Retrying is bounded by time, not by a count: a busy host commits hundreds of transactions a second, and a
/// listing should still succeed there, as `nft list ruleset` does.</summary>
internal sealed class RulesetReader
{
    private readonly NfTablesConnection _connection;

    public RulesetReader(NfTablesConnection connection) => _connection = connection;

    /// <summary>How long to keep starting over before giving up with <see cref="RulesetChangedException"/>.</summary>
    public TimeSpan RetryBudget { get; init; } = DefaultRetryBudget;

    /// <summary>The process-wide default for <see cref="RetryBudget"/> (tests shorten it).</summary>
    internal static TimeSpan DefaultRetryBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An optional cap on attempts besides the time budget.</summary>
    public int MaxAttempts { get; init; } = int.MaxValue;

    /// <summary>How many attempts the last <see cref="Read"/> needed (1 when nothing changed meanwhile).</summary>
    public int LastAttempts { get; private set; }

    /// <summary>How many attempts of the last <see cref="Read"/> were thrown away for a duplicated set element.</summary>
    public int LastDuplicateRetries { get; private set; }

    public NftRuleset Read(RulesetQuery? query = null, CancellationToken cancellation = default)
    {
        query ??= RulesetQuery.Everything;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        LastDuplicateRetries = 0;
        string? reason = null;
        for (int attempt = 1; ; attempt++)
        {
            cancellation.ThrowIfCancellationRequested();
            LastAttempts = attempt;
            if (attempt > 1)
            {
                if (attempt > MaxAttempts || clock.Elapsed >= RetryBudget)
                    throw new RulesetChangedException(attempt - 1, clock.Elapsed, reason);
                Backoff(attempt, cancellation);
            }
            uint before = _connection.GetGeneration(cancellation);
            NftRuleset? snapshot;
            try
            {
                snapshot = ReadOnce(query, before, cancellation, out reason);
            }
            catch (DumpInterruptedException)
            {
                reason = "a dump was interrupted by a change";
                continue;
            }
            catch (NetlinkException ex) when (ex.Errno == Errors.ENOENT)
            {
                // A set deleted between the set dump and its element dump: the generation moved, so start over.
                // An ENOENT with the generation unchanged is real (the table asked for is not there).
                if (_connection.GetGeneration(cancellation) == before) throw;
                reason = "an object was deleted while it was being read";
                continue;
            }
            if (snapshot is null)
            {
                if (reason is not null && reason.StartsWith("set ", StringComparison.Ordinal)) LastDuplicateRetries++;
                continue;
            }
            uint after = _connection.GetGeneration(cancellation);
            if (after != before)
            {
                reason = "the generation moved during the read";
                continue;
            }
            snapshot.Generation = before;
            return snapshot;
        }
    }

    // The first retry is immediate (most collisions are one commit); then exponential with jitter up to 50 ms,
    // so several readers and writers stop meeting in lockstep.
    private static void Backoff(int attempt, CancellationToken cancellation)
    {
        if (attempt <= 2) return;
        int ceiling = Math.Min(50, 1 << Math.Min(attempt - 3, 6));
        int wait = Random.Shared.Next(ceiling / 2, ceiling + 1);
        if (wait > 0 && cancellation.WaitHandle.WaitOne(wait)) cancellation.ThrowIfCancellationRequested();
    }

    // Returns null when a reply showed another generation than the one read before the dumps.
    private NftRuleset? ReadOnce(RulesetQuery q, uint generation, CancellationToken cancellation, out string? reason)
    {
        reason = "a reply carried another generation";
        string? ns = _connection.NetworkNamespace;
        var rs = new NftRuleset { NetworkNamespace = ns };
        string host = rs.Host;
        ushort genLow = (ushort)generation;
        bool moved = false;

        void Stamp(NftObjectBase o)
        {
            o.Host = host;
            o.NetworkNamespace = ns;
        }

        void Dump(NfTablesMessageType type, NftFamily family, Action<NetlinkWriter>? attrs, NetlinkMessageHandler handler, string what)
        {
            _connection.Dump(type, family, attrs, (in NetlinkMessage m) =>
            {
                if (m.ResourceId != genLow) moved = true;
                if (!moved) handler(m);
            }, what, cancellation);
        }

        if (q.IncludeTables)
        {
            Dump(NfTablesMessageType.GetTable, q.Family, null, (in NetlinkMessage m) =>
            {
                if (m.NfTablesType != (int)NfTablesMessageType.NewTable) return;
                var t = NftMessageDecoder.DecodeTable(m);
                if (!q.Matches(t.Family, t.Name)) return;
                Stamp(t);
                rs.Tables.Add(t);
            }, "list tables");
            if (moved) return null;
        }

        Action<NetlinkWriter>? TableFilter(ushort tableAttr) =>
            q.Table is null ? null : w => w.WriteString(tableAttr, q.Table);
        NftFamily dumpFamily = q.Family;

        if (q.IncludeChains)
        {
            Dump(NfTablesMessageType.GetChain, dumpFamily, null, (in NetlinkMessage m) =>
            {
                if (m.NfTablesType != (int)NfTablesMessageType.NewChain) return;
                var c = NftMessageDecoder.DecodeChain(m);
                if (!q.Matches(c.Family, c.Table) || (q.Chain is not null && q.Chain != c.Name)) return;
                Stamp(c);
                rs.Chains.Add(c);
            }, "list chains");
            if (moved) return null;
        }

        bool wantSets = q.IncludeSets || q.IncludeRules;
        if (wantSets)
        {
            Dump(NfTablesMessageType.GetSet, dumpFamily, q.Family == NftFamily.Unspecified ? null : TableFilter(1), (in NetlinkMessage m) =>
            {
                if (m.NfTablesType != (int)NfTablesMessageType.NewSet) return;
                var s = NftMessageDecoder.DecodeSet(m);
                if (!q.Matches(s.Family, s.Table)) return;
                // Anonymous sets come along with rules (rules print them inline); named ones when sets are asked for.
                if (s.IsAnonymous ? !q.IncludeRules : !q.IncludeSets || (q.Set is not null && q.Set != s.Name)) return;
                Stamp(s);
                rs.Sets.Add(s);
            }, "list sets");
            if (moved) return null;

            foreach (var set in rs.Sets)
            {
                if (!(set.IsAnonymous ? q.IncludeRules : q.IncludeElements)) continue;
                var elements = set.Elements;
                Dump(NfTablesMessageType.GetSetElement, set.Family, w =>
                {
                    w.WriteString(1, set.Table);
                    w.WriteString(2, set.Name);
                }, (in NetlinkMessage m) =>
                {
                    if (m.NfTablesType != (int)NfTablesMessageType.NewSetElement) return;
                    NftMessageDecoder.DecodeSetElements(m.Attributes, set, elements.Add);
                }, $"list elements of set {set.Family.ToKeyword()} {set.Table} {set.Name}");
                if (moved) return null;
                if (!set.IsInterval && SetElementKeys.FindDuplicate(elements) is { } twice)
                {
                    reason = $"set {set.Family.ToKeyword()} {set.Table} {set.Name} listed element {Convert.ToHexString(twice.Key ?? [])} twice while the kernel resized it";
                    return null;
                }
                set.ElementsLoaded = true;
            }
        }

        if (q.IncludeObjects)
        {
            Dump(NfTablesMessageType.GetObject, dumpFamily, q.Family == NftFamily.Unspecified ? null : TableFilter(1), (in NetlinkMessage m) =>
            {
                if (m.NfTablesType != (int)NfTablesMessageType.NewObject) return;
                var o = NftMessageDecoder.DecodeObject(m);
                if (!q.Matches(o.Family, o.Table)) return;
                Stamp(o);
                rs.Objects.Add(o);
            }, "list objects");
            if (moved) return null;
        }

        if (q.IncludeFlowtables)
        {
            try
            {
                Dump(NfTablesMessageType.GetFlowtable, dumpFamily, q.Family == NftFamily.Unspecified ? null : TableFilter(1), (in NetlinkMessage m) =>
                {
                    if (m.NfTablesType != (int)NfTablesMessageType.NewFlowtable) return;
                    var f = NftMessageDecoder.DecodeFlowtable(m);
                    if (!q.Matches(f.Family, f.Table)) return;
                    Stamp(f);
                    rs.Flowtables.Add(f);
                }, "list flowtables");
            }
            catch (NetlinkException ex) when (ex.Errno is Errors.EOPNOTSUPP)
            {
                // A kernel built without flowtables has none to list.
            }
            if (moved) return null;
        }

        if (q.IncludeRules)
        {
            Action<NetlinkWriter>? ruleFilter = null;
            if (q.Table is not null && q.Family != NftFamily.Unspecified)
            {
                ruleFilter = w =>
                {
                    w.WriteString(1, q.Table);
                    if (q.Chain is not null) w.WriteString(2, q.Chain);
                };
            }
            Dump(NfTablesMessageType.GetRule, dumpFamily, ruleFilter, (in NetlinkMessage m) =>
            {
                if (m.NfTablesType != (int)NfTablesMessageType.NewRule) return;
                var r = NftMessageDecoder.DecodeRule(m);
                if (!q.Matches(r.Family, r.Table) || (q.Chain is not null && q.Chain != r.Chain)) return;
                Stamp(r);
                rs.Rules.Add(r);
            }, "list rules");
            if (moved) return null;
            NumberRules(rs);
        }
        return rs;
    }

    /// <summary>Sets each rule's 0-based Position and its chain's RuleCount (rules are dumped in chain order).</summary>
    internal static void NumberRules(NftRuleset rs)
    {
        var counts = new Dictionary<(NftFamily, string, string), int>();
        foreach (var r in rs.Rules)
        {
            var key = (r.Family, r.Table, r.Chain);
            counts.TryGetValue(key, out int n);
            r.Position = n;
            counts[key] = n + 1;
        }
        foreach (var r in rs.Rules) r.RuleCount = counts[(r.Family, r.Table, r.Chain)];
        foreach (var c in rs.Chains) c.RuleCount = counts.TryGetValue((c.Family, c.Table, c.Name), out int n) ? n : 0;
    }
}
