using NftPS.Language;
using NftPS.Language.Printing;
using NftPS.Language.DataTypes;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using System.Text.Json.Nodes;
using NftPS.Language.Json;
using NftPS.Tests.Conformance.Vectors;
using NftPS.Tests.Infrastructure;
using NftPS.Tests.Model;

namespace NftPS.Tests.Compiler;

/// <summary>Reading nft 1.1's tunnel matches back: the inner expressions (and the inner dependencies the compiler
/// adds) print as the text of the ok units of inet/vxlan.t, geneve.t, gre.t and gretap.t.</summary>
public class InnerMatchReadBackTests : IClassFixture<PrivateNetworkNamespace>
{
    private static readonly string[] Files = { "vxlan.t", "geneve.t", "gre.t", "gretap.t" };
    private static readonly (string Token, NftFamily Family)[] Families =
        { ("ip", NftFamily.Ip), ("ip6", NftFamily.Ip6), ("inet", NftFamily.Inet), ("netdev", NftFamily.Netdev) };

    private readonly PrivateNetworkNamespace _ns;

    public InnerMatchReadBackTests(PrivateNetworkNamespace ns) => _ns = ns;

    /// <summary>The ok units of a .t file: the rule and the text nft lists for it (the third field where given).</summary>
    private static List<(string Rule, string Listed)> OkUnits(string file)
    {
        var units = new List<(string, string)>();
        foreach (var raw in File.ReadLines(file))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is ':' or '*' or '#' or '-' or '!' or '?') continue;
            var f = line.Split(';');
            if (f.Length < 2 || f[1] != "ok") continue;
            units.Add((f[0], Deviation(f.Length > 2 && f[2].Length > 0 ? f[2] : f[0])));
        }
        return units;
    }

    /// <summary>Known deviation, kept explicit: these .t files are nft 1.1's, which lists `ip protocol 1` numerically
    /// everywhere (its ip/icmp.t: `ip protocol icmp icmp type echo-request;ok;ip protocol 1 icmp type echo-request`);
    /// the printer follows nft 1.0.6, which names it (`ip protocol icmp`), inner or not.</summary>
    private static string Deviation(string listed) => listed.EndsWith(" ip protocol 1", StringComparison.Ordinal)
        ? listed[..^1] + "icmp" : listed;

    private static List<(string File, string Rule, string Listed)> AllUnits()
    {
        string dir = Path.Combine(TestEnvironment.RequireShared(), "conformance", "nft-py", "inet");
        return Files.SelectMany(f => OkUnits(Path.Combine(dir, f)).Select(u => (f, u.Rule, u.Listed))).ToList();
    }

    private static string Print(string rule, NftFamily family)
    {
        var c = RuleCompiler.Compile(rule, new CompileContext { Family = family, Table = "t", Chain = "c" });
        return RuleTextPrinter.Describe(family, "t", c.Expressions, new NftRuleset(), PrintOptions.Default with { Stateless = true }).Text;
    }

    [SharedFact]
    public void Every_ok_tunnel_unit_reads_back_as_its_text()
    {
        var units = AllUnits();
        Assert.Equal(37, units.Count);
        var failures = new List<string>();
        int checkedUnits = 0;
        foreach (var (file, rule, listed) in units)
        {
            // anonymous sets need their elements: the kernel test below reads those back
            if (rule.Contains('{')) continue;
            foreach (var (token, family) in Families)
            {
                checkedUnits++;
                string got = Print(rule, family);
                if (got != listed) failures.Add($"{file} {token}: {rule}\n    want: {listed}\n    got:  {got}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count}/{checkedUnits} differ:\n" + string.Join("\n", failures));
    }

    [SharedFact]
    public void Every_ok_tunnel_unit_writes_the_json_of_its_t_json()
    {
        string dir = Path.Combine(TestEnvironment.RequireShared(), "conformance", "nft-py", "inet");
        var failures = new List<string>();
        int compared = 0;
        foreach (var file in Files)
        {
            var vectors = JsonVectorFile.Load(Path.Combine(dir, file + ".json"));
            foreach (var (rule, _) in OkUnits(Path.Combine(dir, file)))
            {
                if (rule.Contains('{') || vectors.Find(rule)?.Statements is not { } want) continue;
                var c = RuleCompiler.Compile(rule, new CompileContext { Family = NftFamily.Netdev, Table = "t", Chain = "c" });
                var nftRule = new NftRule { Family = NftFamily.Netdev, Table = "t", Chain = "c", Expressions = c.Expressions };
                var got = RuleJson.Statements(nftRule, new NftRuleset(), PrintOptions.Default with { Stateless = true });
                compared++;
                // the same 1.0.6-vs-1.1 deviation as Deviation(): nft 1.0.6 names the protocol
                if (rule.EndsWith(" ip protocol 1", StringComparison.Ordinal) && want[^1]?["match"] is JsonObject wm) wm["right"] = "icmp";
                if (!JsonVectorFile.JsonEquals(want, got))
                    failures.Add($"{file}: {rule}\n    want: {want.ToJsonString()}\n    got:  {got?.ToJsonString()}");
            }
        }
        Assert.True(compared >= 30, $"only {compared} JSON vectors compared");
        Assert.True(failures.Count == 0, $"{failures.Count}/{compared} differ:\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData("udp dport 4789 vxlan ip saddr 10.141.11.2 counter", "udp dport 4789 vxlan ip saddr 10.141.11.2 counter packets 0 bytes 0")]
    [InlineData("meta l4proto gre", "meta l4proto gre")]
    [InlineData("meta l4proto gre gre version 0", "gre version 0")]
    [InlineData("meta l4proto gre gre ip saddr 1.2.3.4", "gre ip saddr 1.2.3.4")]
    [InlineData("udp dport 4789 vxlan ip saddr 1.2.3.4 vxlan ip daddr 4.3.2.1", "udp dport 4789 vxlan ip saddr 1.2.3.4 vxlan ip daddr 4.3.2.1")]
    [InlineData("gre ip saddr 1.2.3.4 counter gre udp dport 53", "gre ip saddr 1.2.3.4 counter packets 0 bytes 0 gre udp dport 53")]
    public void Tunnel_matches_mix_with_other_statements(string rule, string expected)
    {
        var c = RuleCompiler.Compile(rule, new CompileContext { Family = NftFamily.Inet, Table = "t", Chain = "c" });
        Assert.Equal(expected, RuleTextPrinter.Describe(NftFamily.Inet, "t", c.Expressions, new NftRuleset(), PrintOptions.Default).Text);
    }

    [KernelFact]
    public void Kernel_rules_with_tunnel_matches_list_as_their_text()
    {
        var units = AllUnits();
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad("add table netdev t\nadd chain netdev t c { type filter hook ingress device lo priority 0; }\n").EnsureSuccess("nft -f");
        using (var conn = NfTablesConnection.Open(_ns.Name))
        {
            foreach (var (_, rule, _) in units)
            {
                var batch = new NftBatch();
                batch.QueueRule(RuleCompiler.Compile(rule, new CompileContext { Family = NftFamily.Netdev, Table = "t", Chain = "c" }),
                    NftFamily.Netdev, "t", "c");
                var result = conn.ExecuteBatch(batch, new BatchOptions());
                Assert.True(result.Succeeded, rule + ": " + string.Join("; ", result.Errors.Select(e => e.Describe())));
            }
        }
        var rs = ListingComparison.Read(_ns);
        var read = rs.Rules.Where(r => r.Table == "t" && r.Chain == "c").ToList();
        Assert.Equal(units.Select(u => u.Listed).ToArray(), read.Select(r => RuleTextPrinter.Print(r, rs, stateless: true)).ToArray());

        // and through the module: Get-NftRule shows the same text
        using var host = new PowerShellHost();
        var r = host.Run($"Get-NftRule -NetworkNamespace {_ns.Name} -Family netdev -Table t -Chain c");
        Assert.False(r.HadErrors || r.Terminating is not null, string.Join("; ", r.Errors.Select(e => e.ToString())) + r.Terminating);
        Assert.Equal(units.Select(u => u.Listed).ToArray(), r.Objects<NftRule>().Select(x => x.Text).ToArray());
        _ns.Flush();
    }
}
