using NftPS.DesiredState;
using NftPS.NfTables;
using NftPS.Tests.Infrastructure;
using static NftPS.Tests.DesiredState.DesiredStateKernel;

namespace NftPS.Tests.DesiredState;

/// <summary>Each scenario file converges from every starting point to exactly what `nft -f` of the file lists,
/// and a second comparison finds nothing.</summary>
public class ConvergenceKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    public ConvergenceKernelTests(PrivateNetworkNamespace ns) => _ns = ns;

    private string Oracle(string text, DesiredRuleset desired)
    {
        _ns.Flush();
        _ns.NftLoad(text).EnsureSuccess("nft -f");
        return ListManaged(desired);
    }

    /// <summary>The managed tables as nft lists them (other tables are left as they were, which is not compared here).</summary>
    private string ListManaged(DesiredRuleset desired) => string.Concat(RulesetComparer.ManagedTables(desired).Select(t =>
        _ns.Nft("list", "table", t.Family.ToKeyword(), t.Table).StdOut));

    private void AssertConverges(string text, Action prepare)
    {
        var desired = DesiredRuleset.FromText(text);
        string expected = CountersAside(Oracle(text, desired));
        _ns.Flush();
        prepare();
        using NftPS.NfTables.Backend.INftBackend backend = NfTablesConnection.Open(_ns.Name);
        Converge(backend, desired);
        Assert.Equal(expected, CountersAside(ListManaged(desired)));
        uint generation = backend.GetGeneration();
        var again = Compare(backend, desired);
        Assert.True(again.InDesiredState, string.Join("\n", again.Differences.Select(d => d + ": " + string.Join("; ", d.Commands))));
        Assert.Empty(again.Operations);
        Assert.Equal(generation, backend.GetGeneration());
    }

    public static IEnumerable<object[]> Scenarios() => ScenarioNames().Select(n => new object[] { n });

    [KernelTheory]
    [MemberData(nameof(Scenarios))]
    public void From_empty(string name)
    {
        _ns.Require();
        ScenarioUsers.Ensure();
        AssertConverges(Scenario(name), () => { });
    }

    [KernelTheory]
    [MemberData(nameof(Scenarios))]
    public void From_the_same_policy_loaded_by_nft(string name)
    {
        _ns.Require();
        ScenarioUsers.Ensure();
        string text = Scenario(name);
        AssertConverges(text, () => _ns.NftLoad(text).EnsureSuccess("nft -f"));
    }

    [KernelTheory]
    [MemberData(nameof(Scenarios))]
    public void From_a_different_policy(string name)
    {
        _ns.Require();
        ScenarioUsers.Ensure();
        // Every other scenario loaded into this one's tables' place: same table names where they collide.
        string text = Scenario(name);
        AssertConverges(text, () =>
        {
            foreach (var other in ScenarioNames().Where(n => n != name)) _ns.NftLoad(Scenario(other)).EnsureSuccess("nft -f " + other);
        });
    }

    [KernelTheory]
    [MemberData(nameof(Scenarios))]
    public void From_one_extra_and_one_missing_rule(string name)
    {
        _ns.Require();
        ScenarioUsers.Ensure();
        string text = Scenario(name);
        AssertConverges(text, () =>
        {
            _ns.NftLoad(text).EnsureSuccess("nft -f");
            var listing = _ns.Nft("-a", "list", "ruleset").EnsureSuccess("list").StdOut;
            var m = System.Text.RegularExpressions.Regex.Match(listing, @"table (\S+) (\S+) \{[\s\S]*?chain (\S+) \{[\s\S]*?# handle (\d+)\n[\s\S]*?# handle (\d+)\n");
            Assert.True(m.Success, listing);
            string family = m.Groups[1].Value, table = m.Groups[2].Value, chain = m.Groups[3].Value;
            // The chain's first rule goes, a rule of our own comes in the middle.
            var handles = System.Text.RegularExpressions.Regex.Matches(listing[m.Index..], @"\t\t.* # handle (\d+)\n").Select(x => x.Groups[1].Value).ToArray();
            _ns.Nft("delete", "rule", family, table, chain, "handle", handles[0]).EnsureSuccess("delete rule");
            _ns.Nft("add", "rule", family, table, chain, "meta mark 0x42 counter").EnsureSuccess("add rule");
        });
    }
}
