using System.Text.RegularExpressions;
using NftPS.Language.Metrics;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Observe;

/// <summary>Export-NftMetric's Prometheus text: promtool (Debian's prometheus package) must accept it, series must be
/// unique and keyed by what survives a reload, and hostile comments must stay one label value.</summary>
public class MetricsTests : IClassFixture<ScriptFixture>
{
    private const string Promtool = "/usr/bin/promtool";
    private readonly ScriptFixture _fx;

    public MetricsTests(ScriptFixture fx) => _fx = fx;

    private static void AcceptedByPromtool(string text)
    {
        if (!File.Exists(Promtool)) Skip.Because("promtool is not installed (apt-get install prometheus)");
        var r = ProcessRunner.Run(Promtool, ["check", "metrics"], stdin: text);
        Assert.True(r.ExitCode == 0, $"promtool check metrics refused it:\n{r.StdOut}{r.StdErr}\n---\n{text}");
    }

    private static NftRule Rule(string chain, string text, ulong packets, string? comment = null) => new()
    {
        Family = NftFamily.Inet, Table = "t", Chain = chain, StatelessText = text, Text = text, Counter = packets, Bytes = packets * 60,
        Comment = comment,
    };

    [Theory]
    [InlineData("plain")]
    [InlineData("back\\slash")]
    [InlineData("quote \" inside")]
    [InlineData("line\nbreak")]
    [InlineData("all \\\" \n\\n } {x=\"1\"} # HELP")]
    [InlineData("")]
    public void HostileCommentsStayOneEscapedLabelValue(string comment)
    {
        var rs = new NftRuleset();
        rs.Rules.Add(Rule("c", "tcp dport 22 counter accept", 5, comment));
        rs.Objects.Add(new NftNamedObject { Family = NftFamily.Inet, Table = "t", Name = "n", Type = NftObjectType.Counter, Packets = 1, Bytes = 2, Comment = comment });
        string text = RulesetMetrics.Format(rs);
        AcceptedByPromtool(text);
        string escaped = comment.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
        Assert.Contains($"comment=\"{escaped}\"", text);
        // Every line is a comment line or one sample: nothing a comment holds starts a line.
        Assert.All(text.TrimEnd('\n').Split('\n'), line => Assert.Matches("^(# (HELP|TYPE) nftables_[a-z_]+ .+|nftables_[a-z_]+\\{.*\\} [0-9]+)$", line));
    }

    [Fact]
    public void IdenticalRulesGetDistinctSeriesAndTheHashIgnoresCountersAndHandles()
    {
        var rs = new NftRuleset();
        rs.Rules.Add(Rule("a", "tcp dport 22 counter accept", 1));
        rs.Rules.Add(Rule("a", "tcp dport 22 counter accept", 2));
        rs.Rules.Add(Rule("b", "tcp dport 22 counter accept", 3));
        rs.Rules.Add(Rule("b", "tcp dport 23 counter accept", 4));
        rs.Rules[0].Handle = 7;
        string text = RulesetMetrics.Format(rs);
        AcceptedByPromtool(text);
        var packets = text.Split('\n').Where(l => l.StartsWith("nftables_rule_packets_total{", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, packets.Count);
        Assert.Equal(4, packets.Select(l => l[..l.LastIndexOf(' ')]).Distinct().Count());
        string hash22 = RulesetMetrics.RuleHash("tcp dport 22 counter accept");
        Assert.Contains($"chain=\"a\",comment=\"\",rule=\"{hash22}\",copy=\"0\"}} 1", text);
        Assert.Contains($"chain=\"a\",comment=\"\",rule=\"{hash22}\",copy=\"1\"}} 2", text);
        Assert.Contains($"chain=\"b\",comment=\"\",rule=\"{hash22}\",copy=\"0\"}} 3", text);
        Assert.DoesNotContain("handle", text);
        Assert.NotEqual(hash22, RulesetMetrics.RuleHash("tcp dport 23 counter accept"));
        Assert.Matches("^[0-9a-f]{12}$", hash22);
    }

    [Fact]
    public void AnEmptyRulesetIsAnEmptyButValidFile()
    {
        string text = RulesetMetrics.Format(new NftRuleset());
        Assert.Equal("", text);
        AcceptedByPromtool(text);
    }

    [Fact]
    public void TheFileIsReplacedWholeAndNoTemporaryFileIsLeft()
    {
        string dir = Directory.CreateTempSubdirectory("nftps-metrics-").FullName;
        try
        {
            string path = Path.Combine(dir, "nftables.prom");
            File.WriteAllText(path, "old");
            MetricsFile.WriteAtomically(path, "# new\n");
            Assert.Equal("# new\n", File.ReadAllText(path));
            Assert.Equal(["nftables.prom"], Directory.GetFiles(dir).Select(Path.GetFileName).ToArray());
            Assert.ThrowsAny<IOException>(() => MetricsFile.WriteAtomically(Path.Combine(dir, "missing", "x.prom"), "x"));
            Assert.Equal(["nftables.prom"], Directory.GetFiles(dir).Select(Path.GetFileName).ToArray());
        }
        finally { Directory.Delete(dir, true); }
    }

    private static string Series(string text, string name, string chain) =>
        Assert.Single(text.Split('\n'), l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains($"chain=\"{chain}\"", StringComparison.Ordinal));

    [KernelFact]
    public void ExportNftMetricWritesWhatPromtoolAcceptsAndARecreatedRuleKeepsItsSeries()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("""
            table inet f {
                counter seen { comment "named {one} \ x" }
                quota cap { over 100 mbytes used 5 bytes }
                set blocked { type ipv4_addr; flags interval; counter; elements = { 10.0.0.0/8 counter packets 3 bytes 4, 192.168.1.1 } }
                chain a {
                    tcp dport 22 counter accept comment "ssh \ 'x' }"
                }
                chain b {
                    tcp dport 22 counter accept comment "ssh \ 'x' }"
                }
            }
            """).EnsureSuccess("load");
        string dir = Directory.CreateTempSubdirectory("nftps-metrics-").FullName;
        try
        {
            host.SetVariable("promPath", Path.Combine(dir, "nftables.prom"));
            var r = host.Run("Export-NftMetric -NetworkNamespace $ns -Path $promPath -PassThru");
            Assert.False(r.HadErrors, r.Describe());
            Assert.IsType<FileInfo>(Assert.Single(r.Output).BaseObject);
            string text = File.ReadAllText(Path.Combine(dir, "nftables.prom"));
            AcceptedByPromtool(text);
            string a = Series(text, "nftables_rule_packets_total", "a"), b = Series(text, "nftables_rule_packets_total", "b");
            // Identical statements in two chains: two series, which differ only by chain.
            Assert.NotEqual(a[..a.LastIndexOf(' ')], b[..b.LastIndexOf(' ')]);
            Assert.Equal(a.Replace("chain=\"a\"", "chain=\"b\""), b);
            Assert.Contains("comment=\"ssh \\\\ 'x' }\"", a);
            Assert.Contains("nftables_object_packets_total{family=\"inet\",table=\"f\",name=\"seen\",comment=\"named {one} \\\\ x\"} 0", text);
            Assert.Contains("nftables_quota_used_bytes_total{family=\"inet\",table=\"f\",name=\"cap\",comment=\"\"} 5", text);
            Assert.Contains("nftables_set_elements{family=\"inet\",table=\"f\",set=\"blocked\"} 2", text);
            Assert.Contains("nftables_set_element_packets_total{family=\"inet\",table=\"f\",set=\"blocked\",element=\"10.0.0.0/8\"} 3", text);

            // Delete and re-add the rule in chain a: a new handle, the same series.
            string listing = _fx.Namespace.Nft("-a", "list", "chain", "inet", "f", "a").EnsureSuccess("list").StdOut;
            string handle = Regex.Match(listing, "accept comment .* # handle (\\d+)").Groups[1].Value;
            _fx.Namespace.Nft("delete", "rule", "inet", "f", "a", "handle", handle).EnsureSuccess("delete rule");
            _fx.Namespace.NftLoad("add rule inet f a tcp dport 22 counter accept comment \"ssh \\ 'x' }\"\n").EnsureSuccess("re-add");
            Assert.NotEqual(handle, Regex.Match(_fx.Namespace.Nft("-a", "list", "chain", "inet", "f", "a").StdOut, "accept comment .* # handle (\\d+)").Groups[1].Value);
            var again = host.Run("Export-NftMetric -NetworkNamespace $ns");
            Assert.False(again.HadErrors, again.Describe());
            string after = Series((string)again.Output[0].BaseObject, "nftables_rule_packets_total", "a");
            Assert.Equal(a, after);
            Assert.Single(Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, true); }
    }
}
