using System.Diagnostics;
using NftPS.Bench.Native;
using NftPS.Bench.Workloads;
using NftPS.Language;
using NftPS.NfTables;
using NftPS.NfTables.Writing;

namespace NftPS.Bench;

/// <summary>`--profile`: where the time of the core write workloads goes — building the batch (expressions, element
/// specs, descriptions), encoding it, and the kernel's share (sendmsg until the last ack) — with user and system CPU.</summary>
public static class Profile
{
    public static int Run(int rules, int elements)
    {
        using var ns = new PrivateNamespace();
        using var connection = NfTablesConnection.Open(ns.Name);
        var w1 = new NftBatch();
        CoreOps.AddRuleset(w1, rules);
        for (int i = 0; i < 30; i++)
        {
            var sw = Stopwatch.StartNew();
            w1.Encode(1, new BatchOptions());
            if (i % 10 == 9) Console.WriteLine($"W1 encode #{i + 1}: {sw.Elapsed.TotalMilliseconds:0.0} ms");
        }
        Phase("W1 build", ns, () => { var b = new NftBatch(); CoreOps.AddRuleset(b, rules); return b; }, connection);
        Phase("W2a build", ns, () =>
        {
            var b = new NftBatch();
            b.AddTable(NftFamily.Ip, CoreOps.SetTable);
            b.AddSet(NftFamily.Ip, CoreOps.SetTable, CoreOps.PlainSet(SetSizeHint.ForNewSet(elements)), "type ipv4_addr;");
            b.AddElementKeys(NftFamily.Ip, CoreOps.SetTable, CoreOps.Set, CoreOps.PlainKeys(elements), 4, CoreOps.DescribeIpv4Key, setId: 1);
            return b;
        }, connection);
        Phase("W2a no hint", ns, () =>
        {
            var b = new NftBatch();
            b.AddTable(NftFamily.Ip, CoreOps.SetTable);
            b.AddSet(NftFamily.Ip, CoreOps.SetTable, CoreOps.PlainSet(), "type ipv4_addr;");
            b.AddElementKeys(NftFamily.Ip, CoreOps.SetTable, CoreOps.Set, CoreOps.PlainKeys(elements), 4, CoreOps.DescribeIpv4Key, setId: 1);
            return b;
        }, connection);
        Phase("W2i build", ns, () =>
        {
            var b = new NftBatch();
            b.AddTable(NftFamily.Ip, CoreOps.SetTable);
            b.AddSet(NftFamily.Ip, CoreOps.SetTable, CoreOps.IntervalSet(), "type ipv4_addr; flags interval;");
            b.AddElements(NftFamily.Ip, CoreOps.SetTable, CoreOps.Set, CoreOps.PrefixElements(elements), CoreOps.DescribeIpv4, setId: 1);
            return b;
        }, connection);
        Reads(ns, connection, rules, elements);
        return 0;
    }

    private static void Reads(PrivateNamespace ns, NfTablesConnection connection, int rules, int elements)
    {
        ns.NftChecked("flush", "ruleset");
        string file = Path.Combine(Path.GetTempPath(), $"nftps-profile-{Environment.ProcessId}.nft");
        File.WriteAllText(file, CoreOps.RulesetText(rules) +
            $"table ip t {{\n\tset s {{\n\t\ttype ipv4_addr\n\t\telements = {{ {CoreOps.ElementsText(elements)} }}\n\t}}\n}}\n");
        ns.NftChecked("-f", file);
        File.Delete(file);
        var reader = new NftPS.NfTables.Reading.RulesetReader(connection);
        var rulesOnly = new NftPS.NfTables.Reading.RulesetQuery { Table = "filter", IncludeElements = false, IncludeObjects = false, IncludeFlowtables = false };
        for (int round = 0; round < 3; round++)
        {
            var (u0, s0) = SelfUsage.UserSystem();
            var sw = Stopwatch.StartNew();
            var raw = reader.Read(rulesOnly with { DescribeRules = false });
            double tRaw = sw.Elapsed.TotalMilliseconds;
            reader.ReadDescribed(rulesOnly);
            double tDescribe = sw.Elapsed.TotalMilliseconds - tRaw * 2;
            var (u1, s1) = SelfUsage.UserSystem();
            sw.Restart();
            string text = NftPS.Language.Printing.RulesetPrinter.Print(reader.ReadDescribed(new NftPS.NfTables.Reading.RulesetQuery { Table = "filter" }));
            double tText = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var set = reader.ReadDescribed(new NftPS.NfTables.Reading.RulesetQuery { Table = "t", IncludeRules = false, IncludeChains = false, IncludeObjects = false, IncludeFlowtables = false });
            double tElems = sw.Elapsed.TotalMilliseconds;
            var (u2, s2) = SelfUsage.UserSystem();
            Console.WriteLine($"reads round {round}: rules dump+decode {tRaw,6:0.0} ms, describe {tDescribe,6:0.0} ms (user {u1 - u0:0} sys {s1 - s0:0}) | " +
                $"read+print text {tText,6:0.0} ms ({text.Length} chars) | {set.Sets[0].Elements.Count} elements {tElems,6:0.0} ms (user {u2 - u1:0} sys {s2 - s1:0})");
        }
    }

    private static void Phase(string name, PrivateNamespace ns, Func<NftBatch> build, NfTablesConnection connection)
    {
        for (int round = 0; round < 2; round++)
        {
            ns.NftChecked("flush", "ruleset");
            GC.Collect();
            var (u0, s0) = SelfUsage.UserSystem();
            var sw = Stopwatch.StartNew();
            var batch = build();
            double tBuild = sw.Elapsed.TotalMilliseconds;
            var (u1, s1) = SelfUsage.UserSystem();
            batch.Encode(1, new BatchOptions());
            double tEncode = sw.Elapsed.TotalMilliseconds - tBuild;
            var (u2, s2) = SelfUsage.UserSystem();
            var result = connection.ExecuteBatch(batch, new BatchOptions());
            double tExec = sw.Elapsed.TotalMilliseconds - tBuild - tEncode;
            var (u3, s3) = SelfUsage.UserSystem();
            if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Describe())));
            Console.WriteLine($"{name,-12} round {round}: build {tBuild,7:0.0} ms (user {u1 - u0,6:0.0} sys {s1 - s0,6:0.0}) | " +
                $"encode {tEncode,6:0.0} ms (user {u2 - u1,6:0.0}) | execute {tExec,7:0.0} ms (user {u3 - u2,6:0.0} sys {s3 - s2,6:0.0})");
        }
    }
}
