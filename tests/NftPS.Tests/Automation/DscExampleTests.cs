using System.Text.Json.Nodes;
using Json.Schema;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>The README's DSC example (examples/dsc/egress.dsc.config.yaml): a valid configuration document, and
/// each of its NftPS/Ruleset resources run as `dsc config test/set` would run them (the resource's properties on
/// stdin), in a private namespace: not in the desired state, set, then in it.</summary>
public sealed class DscExampleTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;

    public DscExampleTests(PrivateNetworkNamespace ns) => _ns = ns;

    private static string ExamplePath => Path.Combine(TestEnvironment.RepoRoot, "examples", "dsc", "egress.dsc.config.yaml");

    /// <summary>The document as DSC reads it: YAML, here through the PyYAML that ansible-core brings.</summary>
    private static JsonObject Document()
    {
        var r = ProcessRunner.Run("/usr/bin/python3", new[] { "-c", "import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", ExamplePath });
        if (r.ExitCode != 0) Skip.Because("python3 with PyYAML (Debian python3-yaml, installed with ansible-core) is needed to read the YAML: " + r.StdErr);
        return JsonNode.Parse(r.StdOut)!.AsObject();
    }

    [KernelFact]
    public void The_example_configuration_is_a_valid_document_and_converges_with_the_resource()
    {
        _ns.Require();
        ScenarioUsers.Ensure();
        var document = Document();
        var docSchema = JsonSchema.FromText(File.ReadAllText(Path.Combine(TestEnvironment.RequireShared(), "dsc", "schemas", "config", "document.json")),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        DscSchemas.AssertValid(docSchema, document, "examples/dsc/egress.dsc.config.yaml");

        _ns.Flush();
        var dsc = new DscResourceRunner();
        var resource = document["resources"]!.AsArray().Single(r => (string?)r!["type"] == "NftPS/Ruleset")!;
        var properties = resource["properties"]!.DeepClone().AsObject();
        DscSchemas.AssertValid(DscSchemas.Load().Instance, properties, "the example's properties");
        properties["netns"] = _ns.Name; // the test's own namespace, never the host's

        Assert.False((bool)dsc.Run("test", properties).Expect(0).State["_inDesiredState"]!);
        dsc.Run("set", properties).Expect(0);
        Assert.True((bool)dsc.Run("test", properties).Expect(0).State["_inDesiredState"]!);
        Assert.Equal(ScenarioUsers.ExpectedListing("egress-allowlist"), _ns.NftListRuleset());
    }
}
