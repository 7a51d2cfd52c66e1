using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.Language.Printing;
using NftPS.NfTables.Reading;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Model;

public class RulesetListingKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly ITestOutputHelper _out;

    public RulesetListingKernelTests(PrivateNetworkNamespace ns, ITestOutputHelper output)
    {
        _ns = ns;
        _out = output;
    }

    // Objects, set attributes, element wrapping, named priorities per family, comments and flags.
    private const string Probe = """
        table inet t1 {
        	comment "tc"
        	flags dormant
        	counter c2 { packets 5 bytes 10; }
        	quota q1 { over 100 mbytes used 10 kbytes; }
        	set s1 { type ipv4_addr; comment "sc"; }
        	limit l1 { rate 10/second burst 20 packets; }
        	counter c1 { comment "cc"; }
        	map m1 { type ipv4_addr : verdict; elements = { 1.1.1.1 : accept, 2.2.2.2 : drop, 3.3.3.3 : accept }; }
        	set s2 { typeof ip saddr; flags interval; auto-merge; elements = { 10.0.0.0/8, 192.168.1.1 }; }
        	set s3 { type inet_service; flags timeout; timeout 30s; gc-interval 10s; size 1000; policy memory; counter; }
        	set s4 { type ipv4_addr . inet_service; flags interval; elements = { 10.0.0.0/8 . 22-23 }; }
        	ct helper h1 { type "ftp" protocol tcp; l3proto ip; }
        	ct timeout to1 { protocol tcp; l3proto ip; policy = { established: 100, close: 4 }; }
        	limit l2 { rate over 100 kbytes/second burst 1 mbytes; }
        	chain c { comment "chc"; }
        	chain b { type filter hook input priority filter - 10; policy drop; comment "bc"; counter; }
        	chain n { type nat hook postrouting priority srcnat + 5; }
        	chain r { type filter hook prerouting priority -300; }
        	chain x { type filter hook forward priority 17; }
        	synproxy sp1 { mss 1460; wscale 7; timestamp sack-perm; }
        	ct expectation e1 { protocol tcp; dport 21; timeout 1m; size 10; l3proto ip; }
        }
        table ip e1 {
        	comment "only comment"
        }
        table ip e3 {
        	flags dormant
        }
        table inet t {
        	counter cc { packets 3 bytes 4; }
        	set sall { type ipv4_addr; flags timeout,interval; timeout 1h; gc-interval 1d2h; size 100; policy memory; counter; auto-merge; comment "allc"; elements = { 1.2.3.4 timeout 1h comment "x", 5.6.7.8 } }
        	set ports { type inet_service; elements = { 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35 } }
        	set v6 { type ipv6_addr; elements = { ::1, 2001:db8::1, fe80::1 } }
        	set ifs { type ifname; elements = { "eth0", "lo" } }
        	set eth { type ether_addr; elements = { 00:11:22:33:44:55, 00:11:22:33:44:66 } }
        	map om { type ipv4_addr : counter; elements = { 1.1.1.1 : "cc" } }
        	map tm { typeof ip saddr . tcp dport : meta mark; elements = { 1.1.1.1 . 22 : 0x10 } }
        	set cs { typeof ct state; elements = { established, related, new } }
        	set el { type ipv4_addr; counter; elements = { 9.9.9.9 } }
        	set ta { type ipv4_addr; timeout 1m; elements = { 9.9.9.9 } }
        	set m { type mark; elements = { 1,2,3,4,5,6,7 } }
        	set p { type inet_proto; elements = { 1,2,3,4,5,6,7 } }
        	set iv { type inet_service; flags interval; elements = { 1-5, 7, 10-20 } }
        	set cst { type ipv4_addr; flags constant; }
        	set dy { type ipv4_addr; flags dynamic; }
        	map vm { type ifname . ipv4_addr : verdict; elements = { "lo" . 1.1.1.1 : jump c } }
        	chain c {
        		counter
        		accept comment "rc"
        	}
        }
        table netdev nd {
        	chain i { type filter hook ingress device "lo" priority 0; }
        }
        table bridge br {
        	chain p { type filter hook prerouting priority -300; }
        	chain o { type filter hook output priority 100; }
        }
        table arp a {
        	chain i { type filter hook input priority 0; }
        }
        """;

    [KernelFact]
    public void ProbeRulesetListsExactlyAsNft()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Probe).EnsureSuccess("nft -f probe");
        var ruleset = ListingComparison.Read(_ns);
        foreach (var (flags, options) in new[]
                 {
                     (Array.Empty<string>(), new RulesetPrintOptions()),
                     (new[] { "-s" }, new RulesetPrintOptions { Stateless = true }),
                     (new[] { "-a" }, new RulesetPrintOptions { Handles = true }),
                 })
        {
            string expected = ListingComparison.WithoutElements(ListingComparison.Full(_ns.NftListRuleset(flags)));
            string actual = ListingComparison.WithoutElements(ListingComparison.Full(RulesetPrinter.Print(ruleset, options)));
            Assert.True(expected == actual, $"nft {string.Join(' ', flags)}: {ListingComparison.FirstDifference(expected, actual)}");
        }
    }

    [KernelFact]
    public void ProbeElementsListExactlyAsNft()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Probe).EnsureSuccess("nft -f probe");
        string expected = ListingComparison.Full(_ns.NftListRuleset());
        string actual = ListingComparison.Full(RulesetPrinter.Print(ListingComparison.Read(_ns)));
        Assert.True(expected == actual, ListingComparison.FirstDifference(expected, actual));
    }

    [KernelFact]
    public void ReaderFillsPositionsCountsAndOrigin()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad("table ip f {\nchain a { counter; accept; drop; }\nchain b { type filter hook input priority 0; policy drop; }\n}\n").EnsureSuccess("load");
        var rs = ListingComparison.Read(_ns);
        var rules = rs.Rules.Where(r => r.Chain == "a").ToList();
        Assert.Equal(new[] { 0, 1, 2 }, rules.Select(r => r.Position));
        Assert.All(rules, r => Assert.Equal(3, r.RuleCount));
        Assert.Null(rules[0].PreviousHandle);
        Assert.Equal(rules[0].Handle, rules[1].PreviousHandle);
        Assert.Equal(0ul, rules[0].Counter);
        Assert.Equal("accept", rules[1].Verdict);
        Assert.All(rs.Rules.Cast<NftObjectBase>().Concat(rs.Chains).Concat(rs.Tables), o => Assert.Equal(_ns.Name, o.NetworkNamespace));
        var b = rs.FindChain(NftFamily.Ip, "f", "b")!;
        Assert.Equal("input", b.Hook);
        Assert.Equal("filter", b.PriorityText);
        Assert.Equal("drop", b.Policy);
        Assert.Equal(3, rs.FindChain(NftFamily.Ip, "f", "a")!.RuleCount);
        Assert.True(rs.Generation > 0);
    }

    [KernelFact]
    public void FiltersFetchOnlyWhatIsAsked()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad("""
            table ip f {
            	set s { type ipv4_addr; elements = { 1.2.3.4 }; }
            	chain a { accept; }
            	chain b { drop; drop; }
            }
            table ip g {
            	chain a { accept; }
            }
            """).EnsureSuccess("load");
        var oneChain = ListingComparison.Read(_ns, new RulesetQuery
        {
            Family = NftFamily.Ip, Table = "f", Chain = "b", IncludeSets = false, IncludeObjects = false, IncludeFlowtables = false,
        });
        Assert.Equal(2, oneChain.Rules.Count);
        Assert.All(oneChain.Rules, r => Assert.Equal("b", r.Chain));
        Assert.Single(oneChain.Chains);
        Assert.Empty(oneChain.Sets);

        var setOnly = ListingComparison.Read(_ns, new RulesetQuery { Family = NftFamily.Ip, Table = "f", Set = "s", IncludeRules = false, IncludeChains = false });
        var set = Assert.Single(setOnly.Sets);
        Assert.Single(set.Elements);
        Assert.Empty(setOnly.Rules);

        var noElements = ListingComparison.Read(_ns, new RulesetQuery { IncludeElements = false });
        Assert.Empty(noElements.FindSet(NftFamily.Ip, "f", "s")!.Elements);
        Assert.Equal(2, noElements.Tables.Count);
    }

    [KernelFact]
    public void ListingWhileAnotherProcessChangesTheRulesetIsNeverTorn()
    {
        _ns.Require();
        _ns.Flush();
        // Every batch replaces the whole table with N chains of N rules; a torn read would see mixed counts.
        string Batch(int n)
        {
            var sb = new System.Text.StringBuilder("table ip churn\ndelete table ip churn\ntable ip churn {\n");
            for (int c = 0; c < n; c++)
            {
                sb.Append($"chain c{c} {{\n");
                for (int r = 0; r < n; r++) sb.Append("counter\n");
                sb.Append("}\n");
            }
            return sb.Append("}\n").ToString();
        }
        _ns.NftLoad(Batch(3)).EnsureSuccess("initial");
        using var stop = new CancellationTokenSource();
        int changes = 0;
        var writer = Task.Run(() =>
        {
            int i = 0;
            while (!stop.IsCancellationRequested)
            {
                _ns.NftLoad(Batch(2 + i++ % 6));
                Interlocked.Increment(ref changes);
            }
        });
        try
        {
            using var conn = NfTablesConnection.Open(_ns.Name);
            var reader = new RulesetReader(conn) { MaxAttempts = 500 };
            int retried = 0;
            var deadline = DateTime.UtcNow.AddSeconds(8);
            int reads = 0;
            while (DateTime.UtcNow < deadline && (reads < 30 || retried == 0 || Volatile.Read(ref changes) < 5))
            {
                var rs = reader.Read();
                reads++;
                if (reader.LastAttempts > 1) retried++;
                var chains = rs.Chains.Where(c => c.Table == "churn").ToList();
                if (chains.Count == 0) continue; // between delete and add is never committed alone, but be lenient
                int n = chains.Count;
                Assert.All(chains, c => Assert.Equal(n, c.RuleCount));
                Assert.Equal(n * n, rs.Rules.Count(r => r.Table == "churn"));
            }
            _out.WriteLine($"{reads} reads, {retried} needed retries, {changes} concurrent changes");
            Assert.True(changes > 0);
            Assert.True(retried > 0, "no read ever had to start over; the test did not exercise the retry path");
        }
        finally
        {
            stop.Cancel();
            writer.Wait();
        }
    }
}

// Retained memory is measured process-wide (GC.GetTotalMemory): tests running beside it would be counted too.
[Collection(ProcessWideMemoryCollection.Name)]
public class LargeSetKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly ITestOutputHelper _out;

    public LargeSetKernelTests(PrivateNetworkNamespace ns, ITestOutputHelper output)
    {
        _ns = ns;
        _out = output;
    }

    [KernelFact]
    public void ReadsALargeSetCompactly()
    {
        _ns.Require();
        const int count = 200_000;
        var sb = new System.Text.StringBuilder("table ip big {\nset s {\ntype ipv4_addr\nsize 1048576\n}\n}\n");
        for (int start = 0; start < count; start += 20000)
        {
            sb.Append("add element ip big s { ");
            for (int i = start; i < start + 20000; i++) sb.Append(i == start ? "" : ", ").Append($"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}");
            sb.Append(" }\n");
        }
        _ns.NftLoad(sb.ToString()).EnsureSuccess("load big set");
        GC.Collect();
        long before = GC.GetTotalMemory(true);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var rs = ListingComparison.Read(_ns);
        watch.Stop();
        long retained = GC.GetTotalMemory(true) - before;
        var set = rs.FindSet(NftFamily.Ip, "big", "s")!;
        Assert.Equal(count, set.Elements.Count);
        _out.WriteLine($"{count} elements read in {watch.ElapsedMilliseconds} ms, {retained / count} bytes retained per element");
        Assert.True(retained / count < 200, $"{retained / count} bytes per element");
        GC.KeepAlive(rs);
        _ns.Flush();
    }
}

/// <summary>Tests that measure the whole process's managed heap run alone, never beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMemoryCollection
{
    public const string Name = "Process-wide memory";
}
