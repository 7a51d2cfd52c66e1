using System.Text.Json.Nodes;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>The manifest shipped in the module folder, against DSC's bundled manifest schema, and its instance schema
/// against the instances the resource takes and refuses. No kernel: these run everywhere.</summary>
public sealed class DscManifestTests
{
    private static JsonObject Manifest() => JsonNode.Parse(File.ReadAllText(DscSchemas.ManifestPath))!.AsObject();

    [SharedFact]
    public void The_manifest_validates_against_DSCs_bundled_manifest_schema()
    {
        var schemas = DscSchemas.Load();
        DscSchemas.AssertValid(schemas.Manifest, Manifest(), "NftPS.dsc.resource.json");
    }

    [SharedFact]
    public void The_bundled_schema_is_strict_enough_to_refuse_a_broken_manifest()
    {
        // The check above proves something only if the schema can fail: a manifest without a version, and one whose
        // _exist is not DSC's canonical reference, are refused.
        var schemas = DscSchemas.Load();
        var noVersion = Manifest();
        noVersion.Remove("version");
        Assert.False(DscSchemas.IsValid(schemas.Manifest, noVersion));
        var ownExist = Manifest();
        ownExist["schema"]!["embedded"]!["properties"]!["_exist"] = new JsonObject { ["type"] = "boolean" };
        Assert.False(DscSchemas.IsValid(schemas.Manifest, ownExist));
    }

    [SharedFact]
    public void Set_declares_pretest_exist_handling_state_and_diff_and_elevation_and_what_if_is_its_own_operation()
    {
        var m = Manifest();
        Assert.Equal("NftPS/Ruleset", (string?)m["type"]);
        var set = m["set"]!.AsObject();
        Assert.True((bool)set["implementsPretest"]!);
        Assert.True((bool)set["handlesExist"]!);
        Assert.Equal("stateAndDiff", (string?)set["return"]);
        Assert.Equal("elevated", (string?)set["requireSecurityContext"]);
        Assert.Equal("stdin", (string?)set["input"]);
        // The bundled schema (DSC 3.0's argument kinds) refuses {"whatIfArg": ...} in args, so what-if is the
        // manifest's whatIf operation: the same command with --what-if.
        Assert.Equal(new[] { "dsc", "set", "--what-if" }, m["whatIf"]!["args"]!.AsArray().Select(a => (string)a!));
        foreach (var op in new[] { "get", "set", "whatIf", "test", "export", "validate" })
            Assert.Equal("nftps", (string?)m[op]!["executable"]);
    }

    [SharedFact]
    public void The_instance_schema_takes_nft_text_json_and_a_file_and_refuses_unknown_properties()
    {
        var schema = DscSchemas.Load().Instance;
        DscSchemas.AssertValid(schema, JsonNode.Parse("""{"tables": "table inet t { }", "netns": "blue", "_purge": false}"""), "text instance");
        DscSchemas.AssertValid(schema, JsonNode.Parse("""{"tables": {"nftables": [{"table": {"family": "inet", "name": "t"}}]}}"""), "JSON document instance");
        DscSchemas.AssertValid(schema, JsonNode.Parse("""{"tables": [{"table": {"family": "inet", "name": "t"}}], "_exist": false}"""), "JSON list instance");
        DscSchemas.AssertValid(schema, JsonNode.Parse("""{"path": "/etc/nftables.d/egress.nft", "includePath": ["/etc/nftables.d"]}"""), "file instance");
        Assert.False(DscSchemas.IsValid(schema, JsonNode.Parse("""{"tables": "table inet t { }", "purg": false}""")));
        Assert.False(DscSchemas.IsValid(schema, JsonNode.Parse("""{"netns": "blue"}""")));
        Assert.False(DscSchemas.IsValid(schema, JsonNode.Parse("""{"tables": 5}""")));
        Assert.False(DscSchemas.IsValid(schema, JsonNode.Parse("""{"tables": "", "_exist": "yes"}""")));
    }
}
