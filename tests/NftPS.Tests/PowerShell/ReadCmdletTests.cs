using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>The read cmdlets as a user calls them: script text in a hosted runspace, nft as the oracle.</summary>
public class ReadCmdletTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ReadCmdletTests(ScriptFixture fx) => _fx = fx;

    private PowerShellHost Load()
    {
        var host = _fx.Require();
        _fx.Namespace.NftLoad(SampleRuleset.Text).EnsureSuccess("nft -f sample");
        return host;
    }

    private static PowerShellResult Ok(PowerShellResult r)
    {
        Assert.False(r.HadErrors, r.Describe());
        return r;
    }

    [KernelFact]
    public void GetNftTableListsEveryTableWithFamilyHandleAndNamespace()
    {
        var host = Load();
        var tables = Ok(host.Run("Get-NftTable -NetworkNamespace $ns")).Objects<NftTable>().ToList();
        Assert.Equal(new[] { "inet filter", "ip nat", "ip6 other" },
            tables.Select(t => $"{t.Family.ToKeyword()} {t.Name}").OrderBy(s => s, StringComparer.Ordinal));
        string listing = _fx.Namespace.Nft("-a", "list", "table", "inet", "filter").EnsureSuccess("nft list table").StdOut;
        var filter = tables.Single(t => t.Name == "filter");
        Assert.Contains($"table inet filter {{ # handle {filter.Handle}", listing);
        Assert.All(tables, t => Assert.Equal(_fx.Namespace.Name, t.NetworkNamespace));
    }

    [KernelFact]
    public void FamilyNameAndHandleFilters()
    {
        var host = Load();
        Assert.Equal(new[] { "nat" }, Ok(host.Run("Get-NftTable -NetworkNamespace $ns -Family ip")).Objects<NftTable>().Select(t => t.Name));
        Assert.Equal(new[] { "filter" }, Ok(host.Run("Get-NftTable -NetworkNamespace $ns -Name 'f*'")).Objects<NftTable>().Select(t => t.Name));
        Assert.Equal(new[] { "filter" }, Ok(host.Run("Get-NftTable -NetworkNamespace $ns 'F*'")).Objects<NftTable>().Select(t => t.Name));
        Assert.Empty(Ok(host.Run("Get-NftTable -NetworkNamespace $ns -Name 'zz*'")).Output);
        var r = Ok(host.Run("$h = (Get-NftRule -NetworkNamespace $ns -Table filter -Chain input)[1].Handle; Get-NftRule -NetworkNamespace $ns -Table filter -Handle $h"));
        var rule = Assert.Single(r.Objects<NftRule>());
        Assert.Equal(1, rule.Position);
    }

    [KernelFact]
    public void SetElementsCarryTheirValueAsNftWritesIt()
    {
        var host = Load();
        _fx.Namespace.Nft("add", "set", "inet", "filter", "nets", "{ type ipv4_addr; flags interval; }").EnsureSuccess("add set");
        _fx.Namespace.Nft("add", "element", "inet", "filter", "nets", "{ 10.0.0.0/24, 192.168.1.1-192.168.1.9 comment \"lab\" }").EnsureSuccess("add element");
        var blocked = Ok(host.Run("Get-NftSetElement -NetworkNamespace $ns -Table filter -Set blocked")).Objects<NftSetElement>();
        Assert.Equal(new[] { "10.0.0.1", "10.0.0.2" }, blocked.Select(e => e.Value));
        var ports = Ok(host.Run("Get-NftSetElement -NetworkNamespace $ns -Table filter -Set ports")).Objects<NftSetElement>();
        Assert.Equal(new[] { "22 : accept" }, ports.Select(e => e.Value));
        // Interval end markers fold into their start element; the comment stays a property of its own.
        var nets = Ok(host.Run("Get-NftSetElement -NetworkNamespace $ns -Table filter -Set nets")).Objects<NftSetElement>().ToList();
        Assert.Equal(new[] { "10.0.0.0/24", "192.168.1.1-192.168.1.9" }, nets.Select(e => e.Value));
        Assert.Equal("lab", nets[1].Comment);
        // What Get-NftSetElement returns, Remove-NftSetElement takes back.
        Ok(host.Run("Get-NftSetElement -NetworkNamespace $ns -Table filter -Set nets | Where Value -like '10.*' | Remove-NftSetElement -Confirm:$false"));
        Assert.Contains("elements = { 192.168.1.1-192.168.1.9 comment \"lab\" }", _fx.Namespace.Nft("list", "set", "inet", "filter", "nets").StdOut);
    }

    [KernelFact]
    public void ChainsCarryTheirHookPriorityAndPolicy()
    {
        var host = Load();
        var chains = Ok(host.Run("Get-NftChain -NetworkNamespace $ns -Table filter")).Objects<NftChain>().ToList();
        Assert.Equal(new[] { "forwarding", "input" }, chains.Select(c => c.Name).OrderBy(s => s, StringComparer.Ordinal));
        var input = chains.Single(c => c.Name == "input");
        Assert.True(input.IsBaseChain);
        Assert.Equal(("filter", "input", 0, "drop"), (input.Type, input.Hook, input.Priority, input.Policy));
        Assert.False(chains.Single(c => c.Name == "forwarding").IsBaseChain);
    }

    [KernelFact]
    public void TablesPipeIntoChainsPipeIntoRules()
    {
        var host = Load();
        var rules = Ok(host.Run("Get-NftTable -NetworkNamespace $ns -Name filter | Get-NftChain | Get-NftRule")).Objects<NftRule>().ToList();
        string listing = _fx.Namespace.Nft("-a", "list", "chain", "inet", "filter", "input").EnsureSuccess("nft list chain").StdOut;
        Assert.Equal(SampleRuleset.RuleHandles(listing), rules.Select(r => r.Handle));
        Assert.Equal(new[] { 0, 1, 2 }, rules.Select(r => r.Position));
        Assert.All(rules, r => Assert.Equal(("filter", "input", NftFamily.Inet), (r.Table, r.Chain, r.Family)));

        // Every table's chains, across families: the nat chain comes through its table too.
        var chains = Ok(host.Run("Get-NftTable -NetworkNamespace $ns | Get-NftChain")).Objects<NftChain>();
        Assert.Contains(chains, c => c.Family == NftFamily.Ip && c.Table == "nat" && c.Name == "post");
    }

    [KernelFact]
    public void WhereCounterGreaterThanZeroWorksLiterally()
    {
        var host = Load();
        var r = Ok(host.Run("Get-NftRule -NetworkNamespace $ns -Table filter | Where Counter -gt 0"));
        var rule = Assert.Single(r.Objects<NftRule>());
        Assert.Equal((7UL, 420UL, "accept"), (rule.Counter!.Value, rule.Bytes!.Value, rule.Verdict));
        // A rule without a counter has a null Counter, not 0.
        var first = Ok(host.Run("(Get-NftRule -NetworkNamespace $ns -Table filter -Chain input)[0]")).Objects<NftRule>().Single();
        Assert.Null(first.Counter);
    }

    [KernelFact]
    public void SetsMapsAndTheirElements()
    {
        var host = Load();
        var sets = Ok(host.Run("Get-NftSet -NetworkNamespace $ns -Table filter")).Objects<NftSet>().ToList();
        Assert.Equal(new[] { "blocked", "ports" }, sets.Select(s => s.Name).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(new[] { "ports" }, Ok(host.Run("Get-NftSet -NetworkNamespace $ns -Map")).Objects<NftSet>().Select(s => s.Name));
        var elements = Ok(host.Run("Get-NftSet -NetworkNamespace $ns -Table filter -Name blocked | Get-NftSetElement")).Objects<NftSetElement>().ToList();
        Assert.Equal(2, elements.Count);
        Assert.All(elements, e => Assert.Equal("blocked", e.SetName));
        Assert.Contains(elements, e => e.Key is { } k && k.SequenceEqual(new byte[] { 10, 0, 0, 1 }));
    }

    [KernelFact]
    public void NamedObjectsFlowtablesAndTheWholeRuleset()
    {
        var host = Load();
        var hits = Assert.Single(Ok(host.Run("Get-NftObject -NetworkNamespace $ns -Type Counter")).Objects<NftNamedObject>());
        Assert.Equal(("hits", 3UL, 120UL), (hits.Name, hits.Packets!.Value, hits.Bytes!.Value));
        Assert.Empty(Ok(host.Run("Get-NftFlowtable -NetworkNamespace $ns")).Output);
        var ruleset = Assert.Single(Ok(host.Run("Get-NftRuleset -NetworkNamespace $ns")).Objects<NftRuleset>());
        Assert.Equal((3, 3, 3), (ruleset.Tables.Count, ruleset.Chains.Count, ruleset.Rules.Count));
        Assert.Equal(_fx.Namespace.Name, ruleset.NetworkNamespace);
    }
}
