using System.Text.Json.Nodes;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>The DSC resource end to end in a private namespace: every operation run from the manifest as DSC runs
/// it, every output validated against the resource's instance schema and DSC's output schemas (wrapped as dsc
/// resource get/test/set print them), and the kernel's ruleset checked with nft after each step.</summary>
public sealed class DscResourceTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly DscResourceRunner _dsc = new();

    public DscResourceTests(PrivateNetworkNamespace ns) => _ns = ns;

    private static string Egress() => File.ReadAllText(Path.Combine(TestEnvironment.RequireShared(), "scenarios", "egress-allowlist.nft"));

    private JsonObject Instance(string tables, bool? exist = null)
    {
        var o = new JsonObject { ["tables"] = tables, ["netns"] = _ns.Name };
        if (exist is { } e) o["_exist"] = e;
        return o;
    }

    private const string Other = "table ip other {\n\tchain c {\n\t\ttcp dport 22 accept\n\t}\n}\n";

    [KernelFact]
    public void Test_set_whatif_and_set_twice_converge_the_egress_policy_and_leave_other_tables_alone()
    {
        _ns.Require();
        ScenarioUsers.Ensure();
        var schemas = DscSchemas.Load();
        _ns.Flush();
        _ns.NftLoad(Other).EnsureSuccess("load other table");
        var desired = Instance(Egress());

        var test = _dsc.Run("test", desired).Expect(0);
        Assert.False((bool)test.State["_inDesiredState"]!);
        Assert.Equal(new[] { "_exist", "tables" }, test.Properties);
        ValidateTest(schemas, desired, test);

        string before = _ns.NftListRuleset();
        var whatIf = _dsc.Run("whatIf", desired).Expect(0);
        Assert.Equal(before, _ns.NftListRuleset());
        Assert.Contains(whatIf.State["_metadata"]!["whatIf"]!.AsArray(), c => ((string)c!).Contains("NFT-EGRESS-DROP"));
        Assert.Equal(new[] { "_exist", "tables" }, whatIf.Properties);
        ValidateSet(schemas, test.State, whatIf);

        var set = _dsc.Run("set", desired).Expect(0);
        Assert.Equal(new[] { "_exist", "tables" }, set.Properties);
        Assert.True((bool)set.State["_exist"]!);
        ValidateSet(schemas, test.State, set);
        Assert.Equal(ScenarioUsers.ExpectedListing("egress-allowlist"), _ns.Nft("list", "table", "inet", "filter").EnsureSuccess("list").StdOut);
        Assert.Contains("table ip other", _ns.NftListRuleset());

        string converged = _ns.NftListRuleset();
        var again = _dsc.Run("set", desired).Expect(0);
        Assert.Empty(again.Properties);
        Assert.Equal(converged, _ns.NftListRuleset());
        Assert.Contains(again.Log, l => ((string?)l["info"] ?? "").Contains("nothing was sent"));

        var after = _dsc.Run("test", desired).Expect(0);
        Assert.True((bool)after.State["_inDesiredState"]!);
        Assert.Empty(after.Properties);
        ValidateTest(schemas, desired, after);

        var get = _dsc.Run("get", desired).Expect(0);
        Assert.Single(get.Lines);
        DscSchemas.AssertValid(schemas.Instance, get.State, "get output");
        DscSchemas.AssertValid(schemas.GetOutput, new JsonObject { ["actualState"] = get.State.DeepClone() }, "dsc resource get output");
        // What get prints is a desired state again: given back to test, it is in the desired state.
        var roundTrip = _dsc.Run("test", get.State.DeepClone().AsObject()).Expect(0);
        Assert.True((bool)roundTrip.State["_inDesiredState"]!);
    }

    [KernelFact]
    public void Exist_false_deletes_only_the_named_table_and_export_lists_each_table_as_an_instance()
    {
        _ns.Require();
        var schemas = DscSchemas.Load();
        _ns.Flush();
        _ns.NftLoad(Other + "table inet gone {\n\tchain c {\n\t\tcounter\n\t}\n}\n").EnsureSuccess("load");

        var export = _dsc.Run("export", new JsonObject { ["netns"] = _ns.Name }).Expect(0);
        Assert.Equal(2, export.Lines.Count);
        foreach (var line in export.Lines) DscSchemas.AssertValid(schemas.Instance, line, "export line");
        Assert.Equal(new[] { "ip other", "inet gone" }, export.Lines.Select(l => (string)l["managedTables"]![0]!));

        var absent = Instance("table inet gone { }", exist: false);
        var test = _dsc.Run("test", absent).Expect(0);
        Assert.False((bool)test.State["_inDesiredState"]!);
        var set = _dsc.Run("set", absent).Expect(0);
        Assert.False((bool)set.State["_exist"]!);
        Assert.Equal(new[] { "_exist", "tables" }, set.Properties);
        ValidateSet(schemas, test.State, set);
        string listing = _ns.NftListRuleset();
        Assert.DoesNotContain("inet gone", listing);
        Assert.Contains("table ip other", listing);
        Assert.True((bool)_dsc.Run("test", absent).Expect(0).State["_inDesiredState"]!);
    }

    [KernelFact]
    public void A_bad_rule_fails_with_nfts_caret_message_as_a_DSC_error_line_and_changes_nothing()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Other).EnsureSuccess("load");
        string before = _ns.NftListRuleset();
        var bad = Instance("table inet filter {\n\tchain output {\n\t\ttcp dport 99999 accept\n\t}\n}\n");
        var set = _dsc.Run("set", bad);
        Assert.Equal(3, set.ExitCode);
        string error = (string)set.Log.Single(l => l.ContainsKey("error"))["error"]!;
        Assert.Contains("^", error);
        Assert.Contains("99999", error);
        Assert.Equal(before, _ns.NftListRuleset());

        var validate = _dsc.Run("validate", bad).Expect(0);
        Assert.False((bool)validate.State["valid"]!);
        Assert.Contains("^", (string)validate.State["reason"]!);
        Assert.True((bool)_dsc.Run("validate", Instance(Other)).Expect(0).State["valid"]!);
    }

    /// <summary>dsc resource test's output: DSC pairs the desired instance with the resource's actual state and its
    /// list of differing properties.</summary>
    private static void ValidateTest(DscSchemas schemas, JsonObject desired, DscResourceRunner.Outcome test)
    {
        DscSchemas.AssertValid(schemas.Instance, test.State, "test output");
        var wrapped = new JsonObject
        {
            ["desiredState"] = desired.DeepClone(),
            ["actualState"] = test.State.DeepClone(),
            ["inDesiredState"] = (bool)test.State["_inDesiredState"]!,
            ["differingProperties"] = test.Lines[1].DeepClone(),
        };
        DscSchemas.AssertValid(schemas.TestOutput, wrapped, "dsc resource test output");
    }

    /// <summary>dsc resource set's output with "return": "stateAndDiff": the state before (DSC's pretest), the state
    /// the resource printed, and the properties it changed.</summary>
    private static void ValidateSet(DscSchemas schemas, JsonObject before, DscResourceRunner.Outcome set)
    {
        Assert.Equal(2, set.Lines.Count);
        DscSchemas.AssertValid(schemas.Instance, set.State, "set output");
        var wrapped = new JsonObject
        {
            ["beforeState"] = before.DeepClone(),
            ["afterState"] = set.State.DeepClone(),
            ["changedProperties"] = set.Lines[1].DeepClone(),
        };
        DscSchemas.AssertValid(schemas.SetOutput, wrapped, "dsc resource set output");
    }
}
