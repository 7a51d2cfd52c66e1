using System.Diagnostics;
using NftPS.Bench.Native;
using NftPS.Bench.Workloads;
using NftPS.DesiredState;
using NftPS.Language.Script;
using NftPS.NfTables;
using NftPS.NfTables.Reading;

namespace NftPS.Bench;

/// <summary>`--profile-w6 [RULES] [ELEMENTS] [ROUNDS]`: W6-test's phases cut finer — parse, queue (evaluate and
/// linearize into typed operations), the batch simulation, rule keys, the read, the comparison — with the user CPU
/// of each (less sensitive to the machine's load than wall time). Used to find what to make faster.</summary>
public static class ProfileDesiredState
{
    public static int Run(int rules, int elements, int rounds)
    {
        using var ns = new PrivateNamespace();
        using var connection = NfTablesConnection.Open(ns.Name);
        string policy = DesiredStateWorkload.PolicyText(rules, elements);
        string file = Path.Combine(Path.GetTempPath(), $"nftps-profile-w6-{Environment.ProcessId}.nft");
        File.WriteAllText(file, policy);
        ns.NftChecked("-f", file);
        File.Delete(file);
        var phases = new List<(string Name, double Wall, double User, double Mib, int Gcs)>();
        for (int round = 0; round < rounds; round++)
        {
            GC.Collect();
            phases.Clear();
            var sw = Stopwatch.StartNew();
            var (u, _) = SelfUsage.UserSystem();
            long bytes = GC.GetAllocatedBytesForCurrentThread();
            int gcs = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
            void Mark(string name)
            {
                var (u1, _) = SelfUsage.UserSystem();
                long b1 = GC.GetAllocatedBytesForCurrentThread();
                int g1 = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
                phases.Add((name, sw.Elapsed.TotalMilliseconds, u1 - u, (b1 - bytes) / 1048576.0, g1 - gcs));
                u = u1;
                bytes = b1;
                gcs = g1;
                sw.Restart();
            }
            var script = NftScript.Parse(policy);
            Mark("parse");
            var staging = new NftBatch();
            script.QueueOn(staging, new ScriptContext());
            Mark("queue");
            var sim = new DesiredSimulation();
            foreach (var op in staging.TypedOperations) sim.Apply(op);
            Mark("simulate");
            var desired = DesiredRuleset.FromSimulation(sim);
            Mark("rule keys");
            var live = ((NftPS.NfTables.Backend.INftBackend)connection).ReadSnapshot(new RulesetQuery { Family = NftFamily.Inet, Table = "filter" });
            Mark("read");
            var comparison = RulesetComparer.Compare(live, desired, new DesiredStateOptions());
            Mark("compare");
            if (comparison.Differences.Count != 0) throw new InvalidOperationException($"{comparison.Differences.Count} differences");
            Console.WriteLine($"round {round}: " + string.Join(" | ", phases.Select(p => $"{p.Name} {p.Wall:0} ms (user {p.User:0}, {p.Mib:0} MiB, {p.Gcs} GC)")) +
                $" | total {phases.Sum(p => p.Wall):0} ms (user {phases.Sum(p => p.User):0})");
        }
        return 0;
    }
}
