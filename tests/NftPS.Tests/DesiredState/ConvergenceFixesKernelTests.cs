using NftPS.DesiredState;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.Tests.Infrastructure;
using static NftPS.Tests.DesiredState.DesiredStateKernel;

namespace NftPS.Tests.DesiredState;

/// <summary>Policies the differential test found never converging: applied once, a second comparison must find
/// nothing and send nothing.</summary>
public class ConvergenceFixesKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    public ConvergenceFixesKernelTests(PrivateNetworkNamespace ns) => _ns = ns;

    private INftBackend Open()
    {
        _ns.Require();
        _ns.Flush();
        return NfTablesConnection.Open(_ns.Name);
    }

    private void AssertStable(INftBackend backend, string text)
    {
        var again = Compare(backend, DesiredRuleset.FromText(text));
        Assert.True(again.InDesiredState, string.Join("\n", again.Differences.Select(d => d + ": " + string.Join("; ", d.Commands))));
        Assert.Empty(again.Operations);
    }

    private void AssertConvergesOnce(string text)
    {
        using var backend = Open();
        Converge(backend, DesiredRuleset.FromText(text));
        AssertStable(backend, text);
    }

    [KernelFact]
    public void Elements_of_a_set_with_a_counter_statement_are_left_alone()
    {
        const string text = "table ip x { set s { type ipv4_addr; counter; elements = { 192.0.2.1, 192.0.2.2 } }; }\n";
        using var backend = Open();
        Converge(backend, DesiredRuleset.FromText(text));
        Assert.Contains("192.0.2.1 counter", _ns.Nft("list", "table", "ip", "x").StdOut);
        AssertStable(backend, text);
        // A real change is still one element operation.
        var c = Compare(backend, DesiredRuleset.FromText(text.Replace(", 192.0.2.2", "")));
        Assert.Single(c.Operations);
    }

    [KernelTheory]
    [InlineData("dst nexthdr 233")]
    [InlineData("mh nexthdr icmp")]
    [InlineData("srh last-entry 0")]
    [InlineData("srh flags 0")]
    [InlineData("tcp option maxseg size 1")]
    [InlineData("tcp option window count 1")]
    [InlineData("tcp option sack2 left 1")]
    [InlineData("ct mark set jhash ip6 saddr . ip6 daddr mod 2 seed 0xdeadbeef")]
    [InlineData("ct mark set jhash ip6 saddr . ip6 daddr mod 2 seed 0xdeadbeef offset 0")]
    [InlineData("ct mark set symhash mod 2")]
    public void Extension_header_and_hash_rules_are_left_alone(string rule) =>
        AssertConvergesOnce("table ip6 x {\n\tchain y {\n\t\t" + rule + "\n\t}\n}\n");

    [KernelFact]
    public void An_empty_chain_is_deleted_without_a_flush()
    {
        using var backend = Open();
        const string from = "table ip x {\n\tchain a {\n\t}\n\tchain b {\n\t\tcounter\n\t}\n\tchain keep {\n\t}\n}\n";
        const string to = "table ip x {\n\tchain keep {\n\t}\n}\n";
        Converge(backend, DesiredRuleset.FromText(from));
        var c = Converge(backend, DesiredRuleset.FromText(to));
        // b (one rule) is flushed and deleted, a (empty) only deleted.
        Assert.Equal(3, c.Operations.Count);
        Assert.Single(c.Operations, o => o is NftPS.NfTables.Operations.ChainOperation { Verb: NftPS.NfTables.Operations.NftVerb.Flush, Name: "b" });
        Assert.Equal("table ip x {\n\tchain keep {\n\t}\n}\n", _ns.Nft("list", "table", "ip", "x").StdOut);
        AssertStable(backend, to);
    }

    [KernelFact]
    public void A_map_with_concatenated_data_is_kept_when_another_object_changes()
    {
        const string map = "\tmap z {\n\t\ttype ipv4_addr . inet_service : ipv4_addr . inet_service\n\t\telements = { 192.168.7.2 . 42 : 10.1.1.1 . 4242 }\n\t}\n";
        const string from = "table ip x {\n" + map + "\tchain c {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tcounter\n\t\tdnat ip to ip saddr . tcp dport map @z\n\t}\n}\n";
        string to = from.Replace("\t\tcounter\n", "");
        using var backend = Open();
        Converge(backend, DesiredRuleset.FromText(from));
        AssertStable(backend, from);
        var c = Converge(backend, DesiredRuleset.FromText(to));
        var op = Assert.Single(c.Operations);
        Assert.IsType<NftPS.NfTables.Operations.RuleOperation>(op);
        AssertStable(backend, to);
    }

    [KernelFact]
    public void A_rule_looking_up_a_64_bit_ct_bytes_key_in_an_interval_map_is_left_alone()
    {
        const string text = "table ip x {\n\tmap m {\n\t\ttypeof ct bytes : meta priority\n\t\tflags interval\n\t\telements = { 2048001-4000000 : 1:2 }\n\t}\n\tchain y {\n\t\ttype filter hook output priority filter; policy accept;\n\t\tmeta priority set ct bytes map @m\n\t}\n}\n";
        using var backend = Open();
        _ns.NftLoad(text).EnsureSuccess("nft -f");
        AssertStable(backend, text);
        var c = Compare(backend, DesiredRuleset.FromText(text.Replace("policy accept", "policy drop")));
        Assert.IsType<NftPS.NfTables.Operations.ChainPolicyOperation>(Assert.Single(c.Operations));
    }

    [KernelFact]
    public void A_typeof_map_keyed_on_ct_proto_dst_is_kept_when_a_rule_goes()
    {
        const string rule = "\t\tupdate @pinned { ip saddr . ct original proto-dst timeout 1m30s : ip daddr . tcp dport }\n";
        const string from = "table ip foo {\n\tmap pinned {\n\t\ttypeof ip saddr . ct original proto-dst : ip daddr . tcp dport\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 6m\n\t}\n\n\tchain pr {\n" + rule + rule + "\t}\n}\n";
        string to = from.Replace(rule + rule, rule);
        using var backend = Open();
        _ns.NftLoad(from).EnsureSuccess("nft -f");
        AssertStable(backend, from);
        var c = Converge(backend, DesiredRuleset.FromText(to));
        Assert.IsType<NftPS.NfTables.Operations.RuleOperation>(Assert.Single(c.Operations));
        AssertStable(backend, to);
    }

    [KernelFact]
    public void A_dormant_table_is_woken_while_its_base_chain_is_recreated()
    {
        using var backend = Open();
        _ns.NftLoad("table ip x { flags dormant; chain y { type nat hook prerouting priority filter; policy accept; }; }\n").EnsureSuccess("nft -f");
        const string to = "table ip x {\n\tchain y {\n\t\taccept comment \"r\"\n\t}\n}\n";
        Converge(backend, DesiredRuleset.FromText(to));
        Assert.Equal(to, _ns.Nft("list", "table", "ip", "x").StdOut);
        AssertStable(backend, to);
    }
}
