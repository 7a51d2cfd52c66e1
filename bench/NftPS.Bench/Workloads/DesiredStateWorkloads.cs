using System.Diagnostics;
using System.Globalization;
using System.Text;
using NftPS.DesiredState;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Transactions;

namespace NftPS.Bench.Workloads;

/// <summary>W6, desired state (issue 14): a policy of table inet filter with W1's N rules in chain output and a set
/// `allow` of M ipv4 addresses, loaded by nft in Prepare. NftPS runs the library as Test-/Set-NftRuleset do: compile the
/// policy text (DesiredRuleset.FromText), read the managed table with elements, RulesetComparer.Compare, and for Set
/// commit the operations at the comparison's generation.
/// - Test: the host already holds the policy; the comparison must find 0 differences. Shown against `nft list ruleset`
///   (reading it all, the cheapest thing nft can do to look) and against `nft -f` of the whole file (how nft users
///   converge: a file starting with `flush table`).
/// - Set: the policy with rule N/2 changed (another port); the comparison must find 1 difference and sends 1
///   operation. nft: `nft -f` of the whole changed file after `flush table`. Reset (untimed) restores the policy.
/// The phases (compile, read, compare, commit) are timed separately and printed as notes: the Set target is 30 ms plus
/// the kernel's own time, taken here as the commit call (encode, send, the kernel's work, its answer).</summary>
public sealed class DesiredStateWorkload : Workload
{
    public enum Kind { Test, TestVsLoad, SetOneRule }

    private readonly Kind _kind;
    private readonly int _rules, _elements;
    private readonly List<double[]> _phases = new();
    private string? _policy, _changed;

    public DesiredStateWorkload(Kind kind, int rules, int elements)
    {
        _kind = kind;
        _rules = rules;
        _elements = elements;
    }

    private string Size => $"{Catalog.Count(_rules)}+{Catalog.Count(_elements)}";

    public override string Id => _kind switch
    {
        Kind.Test => $"W6-test-{Size}",
        Kind.TestVsLoad => $"W6-test-{Size}/vs-load",
        _ => $"W6-set-1-{Size}",
    };

    public override string Description => _kind switch
    {
        Kind.Test => $"compare an identical live policy ({_rules:N0} rules + {_elements:N0}-element set) vs nft list ruleset",
        Kind.TestVsLoad => $"the same comparison vs nft -f of the whole file (flush table + policy)",
        _ => $"converge a {_rules:N0}-rule + {_elements:N0}-element policy with 1 rule changed vs nft -f of the whole file",
    };

    public override Target? Target => _kind == Kind.SetOneRule ? null : Target.Absolute(500);

    public static string PolicyText(int rules, int elements, int changedRule = -1)
    {
        var sb = new StringBuilder(rules * 60 + elements * 14 + 300);
        sb.Append("table inet filter {\n\tset allow {\n\t\ttype ipv4_addr\n\t\telements = { ")
            .Append(CoreOps.ElementsText(elements, 0x00100000)).Append(" }\n\t}\n");
        sb.Append("\tchain output {\n\t\ttype filter hook output priority filter; policy accept;\n");
        sb.Append("\t\tip saddr @allow accept\n");
        for (int i = 0; i < rules - 1; i++)
        {
            string rule = CoreOps.RuleText(i);
            if (i == changedRule) rule = rule.Replace($"tcp dport {CoreOps.RulePort(i)} ", "tcp dport 9 ");
            sb.Append("\t\t").Append(rule).Append('\n');
        }
        sb.Append("\t}\n}\n");
        return sb.ToString();
    }

    public override void Prepare(BenchContext context)
    {
        _policy = PolicyText(_rules, _elements);
        _changed = PolicyText(_rules, _elements, _rules / 2);
        File.WriteAllText(context.File("w6-reload.nft"), "table inet filter\nflush table inet filter\n" + _policy);
        File.WriteAllText(context.File("w6-changed.nft"), "table inet filter\nflush table inet filter\n" + _changed);
        context.Flush();
        context.Namespace.NftChecked("-f", context.File("w6-reload.nft"));
    }

    public override void Reset(BenchContext context, int run)
    {
        if (_kind == Kind.SetOneRule) context.Namespace.NftChecked("-f", context.File("w6-reload.nft"));
    }

    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => _kind switch
    {
        Kind.Test => new[] { new[] { "list", "ruleset" } },
        Kind.TestVsLoad => new[] { new[] { "-f", context.File("w6-reload.nft") } },
        _ => new[] { new[] { "-f", context.File("w6-changed.nft") } },
    };

    public override void RunNftPs(NftPsSession session, int run)
    {
        // A whole-process child never ran Prepare: it builds the texts itself, before the clock.
        _policy ??= PolicyText(_rules, _elements);
        _changed ??= PolicyText(_rules, _elements, _rules / 2);
        var clock = Stopwatch.StartNew();
        var desired = DesiredRuleset.FromText(_kind == Kind.SetOneRule ? _changed! : _policy!);
        double compile = clock.Elapsed.TotalMilliseconds;
        INftBackend backend = session.Connection;
        var live = backend.ReadSnapshot(new RulesetQuery { Family = NftFamily.Inet, Table = "filter" });
        double read = clock.Elapsed.TotalMilliseconds;
        var comparison = RulesetComparer.Compare(live, desired, new DesiredStateOptions());
        double compare = clock.Elapsed.TotalMilliseconds;
        int expected = _kind == Kind.SetOneRule ? 1 : 0;
        if (comparison.Differences.Count != expected)
            throw new InvalidOperationException($"{Id}: {comparison.Differences.Count} differences, expected {expected}: " +
                string.Join("; ", comparison.Differences.Take(3)));
        if (_kind == Kind.SetOneRule)
        {
            var tx = new NftTransaction(comparison.Generation);
            foreach (var op in comparison.Operations) tx.Batch.Add(op);
            new NftSession(backend).Commit(tx);
        }
        double total = clock.Elapsed.TotalMilliseconds;
        _phases.Add(new[] { compile, read - compile, compare - read, total - compare, comparison.Operations.Count });
    }

    /// <summary>Medians of the phases over the measured runs (the first, warm-up, run left out).</summary>
    public override string? Notes
    {
        get
        {
            var runs = _phases.Count > 1 ? _phases.Skip(1).ToList() : _phases;
            if (runs.Count == 0) return null;
            double Median(int k)
            {
                var v = runs.Select(r => r[k]).Order().ToList();
                return v[v.Count / 2];
            }
            string F(double v) => v.ToString(v >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);
            string text = $"NOTE {Id}: compile {F(Median(0))} ms, read {F(Median(1))} ms, compare {F(Median(2))} ms";
            if (_kind != Kind.SetOneRule) return text + $" (compare + read without compile: {F(Median(1) + Median(2))} ms)";
            double own = Median(0) + Median(1) + Median(2);
            return text + $", commit {F(Median(3))} ms ({Median(4):0} operation(s)); NftPS's own time (all but the commit) " +
                $"{F(own)} ms: {(own <= 30 ? "PASS" : "FAIL")} ≤ 30 ms + the kernel's time";
        }
    }
}
