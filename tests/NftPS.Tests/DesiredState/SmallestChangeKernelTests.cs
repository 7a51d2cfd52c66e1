using System.Text.RegularExpressions;
using NftPS.DesiredState;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Operations;
using NftPS.Tests.Infrastructure;
using static NftPS.Tests.DesiredState.DesiredStateKernel;

namespace NftPS.Tests.DesiredState;

/// <summary>The smallest change: unchanged rules keep handle and counter, a changed rule is replaced in place, a new
/// rule lands at its position, one element less is one element operation, tables not named are not touched.</summary>
public class SmallestChangeKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    public SmallestChangeKernelTests(PrivateNetworkNamespace ns) => _ns = ns;

    private INftBackend Open()
    {
        _ns.Require();
        _ns.Flush();
        return NfTablesConnection.Open(_ns.Name);
    }

    private const string Policy = """
        table inet t {
        	chain out {
        		type filter hook output priority 0; policy accept;
        		counter
        		ip daddr 127.0.0.1 counter
        		meta mark 0x00000001 counter
        		tcp dport 22 counter accept
        	}
        }

        """;

    /// <summary>(handle, counter text) of every rule, from `nft -a list table`.</summary>
    private Dictionary<string, string> RulesByText(string family, string table)
    {
        string listing = _ns.Nft("-a", "list", "table", family, table).EnsureSuccess("list").StdOut;
        return Regex.Matches(listing, @"^\t\t(.*) # handle (\d+)$", RegexOptions.Multiline).ToDictionary(
            m => Regex.Replace(m.Groups[1].Value, @"packets \d+ bytes \d+", ""),
            m => Value(m.Groups[2].Value, Regex.Match(m.Groups[1].Value, @"packets (\d+) bytes (\d+)")));
        static string Value(string handle, Match c) => c.Success ? handle + "/" + c.Groups[1].Value + "/" + c.Groups[2].Value : handle + "//";
    }

    private void Traffic()
    {
        ProcessRunner.Run("ip", new[] { "netns", "exec", _ns.Name, "ip", "link", "set", "lo", "up" }).EnsureSuccess("lo up");
        // One UDP datagram to the discard port: passes the output hook whatever listens.
        ProcessRunner.Run("ip", new[] { "netns", "exec", _ns.Name, "bash", "-c", "echo x > /dev/udp/127.0.0.1/9" }).EnsureSuccess("udp packet");
    }

    [KernelFact]
    public void After_traffic_changing_one_rule_keeps_every_other_rules_handle_and_counter()
    {
        using var backend = Open();
        Converge(backend, DesiredRuleset.FromText(Policy));
        Traffic();
        var before = RulesByText("inet", "t");
        Assert.Contains(before.Values, v => !v.EndsWith("/0/0", StringComparison.Ordinal) && !v.EndsWith("//", StringComparison.Ordinal));

        var changed = Compare(backend, DesiredRuleset.FromText(Policy.Replace("meta mark 0x00000001", "meta mark 0x00000002")));
        var d = Assert.Single(changed.Differences);
        Assert.Equal(NftDifferenceChange.Replace, d.Change);
        Assert.Equal(2, d.Position);
        Assert.Contains("meta mark 0x00000001", d.Before);
        Assert.Contains("meta mark 0x00000002", d.After);
        var op = Assert.IsType<RuleOperation>(Assert.Single(changed.Operations));
        Assert.Equal(NftVerb.Replace, op.Verb);
        Apply(backend, changed);

        var after = RulesByText("inet", "t");
        foreach (var (text, value) in before)
        {
            if (text.Contains("meta mark")) continue;
            Assert.Equal(value, after[text]);
        }
        // Replaced in place: the new rule has the old one's handle.
        string oldHandle = before.Single(p => p.Key.Contains("meta mark")).Value.Split('/')[0];
        Assert.Equal(oldHandle, after.Single(p => p.Key.Contains("meta mark 0x00000002")).Value.Split('/')[0]);
    }

    [KernelFact]
    public void A_rule_inserted_in_the_middle_lands_at_its_position_and_nothing_else_moves()
    {
        using var backend = Open();
        Converge(backend, DesiredRuleset.FromText(Policy));
        var before = RulesByText("inet", "t");
        string text = Policy.Replace("\t\tmeta mark 0x00000001 counter\n", "\t\tmeta mark 0x00000005 drop\n\t\tmeta mark 0x00000001 counter\n");
        var c = Compare(backend, DesiredRuleset.FromText(text));
        var d = Assert.Single(c.Differences);
        Assert.Equal(NftDifferenceChange.Add, d.Change);
        Assert.Equal(2, d.Position);
        Apply(backend, c);
        var after = RulesByText("inet", "t");
        foreach (var (rule, value) in before) Assert.Equal(value.Split('/')[0], after[rule].Split('/')[0]);
        string expectedListing = OracleListing(text);
        Assert.Equal(expectedListing, CountersAside(_ns.Nft("list", "table", "inet", "t").StdOut));
        Assert.True(Compare(backend, DesiredRuleset.FromText(text)).InDesiredState);
    }

    [KernelFact]
    public void Rules_out_of_order_are_moved_and_extra_and_missing_ones_fixed_in_one_batch()
    {
        using var backend = Open();
        Converge(backend, DesiredRuleset.FromText(Policy));
        var lines = Policy.Split('\n').ToList();
        int a = lines.FindIndex(l => l.Contains("\t\tcounter")), b = lines.FindIndex(l => l.Contains("tcp dport 22"));
        (lines[a], lines[b]) = (lines[b], lines[a]);
        string text = string.Join('\n', lines).Replace("\t\tip daddr 127.0.0.1 counter\n", "\t\tip daddr 127.0.0.2 counter\n\t\tip saddr 127.0.0.9 drop\n");
        var c = Compare(backend, DesiredRuleset.FromText(text));
        Assert.Contains(c.Differences, x => x.Change == NftDifferenceChange.Move);
        Apply(backend, c);
        Assert.Equal(OracleListing(text), CountersAside(_ns.Nft("list", "table", "inet", "t").StdOut));
        Assert.True(Compare(backend, DesiredRuleset.FromText(text)).InDesiredState);
    }

    private string OracleListing(string text)
    {
        using var other = new PrivateNetworkNamespace();
        other.NftLoad(text).EnsureSuccess("nft -f");
        return CountersAside(other.Nft("list", "table", "inet", "t").StdOut);
    }

    [KernelFact]
    public void Policy_change_is_an_update_and_a_hook_change_recreates_the_chain_with_its_rules()
    {
        using var backend = Open();
        Converge(backend, DesiredRuleset.FromText(Policy));
        var drop = Compare(backend, DesiredRuleset.FromText(Policy.Replace("policy accept", "policy drop")));
        var d = Assert.Single(drop.Differences);
        Assert.Equal(NftDifferenceChange.Update, d.Change);
        Assert.IsType<ChainPolicyOperation>(Assert.Single(drop.Operations));

        string moved = Policy.Replace("hook output priority 0", "hook input priority 0");
        var recreate = Compare(backend, DesiredRuleset.FromText(moved));
        var chain = Assert.Single(recreate.Differences, x => x.ObjectKind == NftDifferenceObject.Chain);
        Assert.Equal(NftDifferenceChange.Recreate, chain.Change);
        Assert.Contains("hook", chain.Reason);
        Apply(backend, recreate);
        Assert.Equal(OracleListing(moved), CountersAside(_ns.Nft("list", "table", "inet", "t").StdOut));
    }

    [KernelFact]
    public void Without_purge_nothing_is_removed()
    {
        using var backend = Open();
        Converge(backend, DesiredRuleset.FromText(Policy));
        _ns.Nft("add", "rule", "inet", "t", "out", "meta mark 0x7 drop").EnsureSuccess("add");
        _ns.Nft("add", "chain", "inet", "t", "extra").EnsureSuccess("add chain");
        var keep = Compare(backend, DesiredRuleset.FromText(Policy), new DesiredStateOptions { Purge = false });
        Assert.True(keep.InDesiredState, string.Join("\n", keep.Differences));
        var purge = Compare(backend, DesiredRuleset.FromText(Policy));
        Assert.Equal(2, purge.Differences.Count(x => x.Change == NftDifferenceChange.Remove));
    }

    [KernelFact]
    public void Tables_not_named_are_byte_identical_before_and_after()
    {
        using var backend = Open();
        _ns.NftLoad("table ip other {\n set s { type ipv4_addr; elements = { 10.0.0.1 } }\n chain c {\n type filter hook input priority 0;\n ip saddr @s counter accept\n }\n}\ntable inet t {\n chain stale {\n }\n}\n").EnsureSuccess("load");
        string before = _ns.Nft("-j", "list", "table", "ip", "other").EnsureSuccess("list").StdOut;
        var c = Converge(backend, DesiredRuleset.FromText(Policy));
        Assert.DoesNotContain(c.Differences, x => x.Table == "other");
        Assert.Equal(before, _ns.Nft("-j", "list", "table", "ip", "other").EnsureSuccess("list").StdOut);
        Assert.Contains(c.Differences, x => x.Change == NftDifferenceChange.Remove && x.Chain == "stale");
    }

    [KernelFact]
    public void A_policy_exported_by_nft_edited_as_text_and_applied_converges_with_no_spurious_difference()
    {
        using var backend = Open();
        foreach (var name in ScenarioNames().Where(n => !n.StartsWith("egress", StringComparison.Ordinal))) _ns.NftLoad(Scenario(name)).EnsureSuccess(name);
        Traffic();
        string exported = _ns.NftListRuleset();
        var same = Compare(backend, DesiredRuleset.FromText(exported));
        Assert.True(same.InDesiredState, string.Join("\n", same.Differences.Select(x => x + " " + x.Before + " -> " + x.After)));
        var json = Compare(backend, DesiredRuleset.FromJson(_ns.Nft("-j", "list", "ruleset").EnsureSuccess("json").StdOut));
        Assert.True(json.InDesiredState, string.Join("\n", json.Differences.Select(x => x + " " + x.Before + " -> " + x.After)));

        string edited = exported.Replace("limit rate 5/minute", "limit rate 6/minute");
        Assert.NotEqual(exported, edited);
        var c = Converge(backend, DesiredRuleset.FromText(edited));
        Assert.Equal(NftDifferenceChange.Replace, Assert.Single(c.Differences).Change);
        Assert.True(Compare(backend, DesiredRuleset.FromText(edited)).InDesiredState);
    }
}
