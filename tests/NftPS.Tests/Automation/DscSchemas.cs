using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>DSC's own bundled schemas (../shared/dsc/schemas) and the resource's embedded instance schema, compiled
/// with JsonSchema.Net, each in its own registry so nothing is fetched from the network.</summary>
public sealed class DscSchemas
{
    private static readonly Lazy<DscSchemas> Shared = new(() => new DscSchemas());

    public static DscSchemas Load() => Shared.Value;

    private readonly string _root;

    private DscSchemas()
    {
        _root = Path.Combine(TestEnvironment.RequireShared(), "dsc", "schemas");
        Manifest = Build(File.ReadAllText(Path.Combine(_root, "resource", "manifest.json")));
        GetOutput = Build(File.ReadAllText(Path.Combine(_root, "outputs", "resource", "get.json")));
        SetOutput = Build(File.ReadAllText(Path.Combine(_root, "outputs", "resource", "set.json")));
        TestOutput = Build(File.ReadAllText(Path.Combine(_root, "outputs", "resource", "test.json")));
        var manifest = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        Instance = BuildInstance(manifest["schema"]!["embedded"]!.ToJsonString());
    }

    /// <summary>The manifest as the build ships it in the module folder.</summary>
    public static string ManifestPath => Path.Combine(PowerShellHost.ModuleDirectory, "NftPS.dsc.resource.json");

    public JsonSchema Manifest { get; }
    public JsonSchema GetOutput { get; }
    public JsonSchema SetOutput { get; }
    public JsonSchema TestOutput { get; }
    /// <summary>The manifest's embedded instance schema: what DSC validates every instance against.</summary>
    public JsonSchema Instance { get; }

    private static JsonSchema Build(string text) =>
        JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    /// <summary>The instance schema refers to DSC's canonical properties (_exist, _purge, _inDesiredState) by their
    /// aka.ms addresses; those schemas are taken from DSC's bundled manifest schema, where they sit under their
    /// raw.githubusercontent addresses, and registered under the aka.ms ones.</summary>
    private JsonSchema BuildInstance(string text)
    {
        var registry = new SchemaRegistry();
        var options = new BuildOptions { SchemaRegistry = registry };
        var defs = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, "resource", "manifest.json")))!["$defs"]!.AsObject();
        foreach (var name in new[] { "exist", "purge", "inDesiredState" })
        {
            var def = defs[$"https://raw.githubusercontent.com/PowerShell/DSC/main/schemas/v3/resource/properties/{name}.json"]!.DeepClone().AsObject();
            var uri = new Uri($"https://aka.ms/dsc/schemas/v3/resource/properties/{name}.json");
            def["$id"] = uri.ToString();
            JsonSchema.FromText(def.ToJsonString(), options, uri);
        }
        return JsonSchema.FromText(text, options);
    }

    /// <summary>Asserts <paramref name="instance"/> is valid under <paramref name="schema"/>, listing every error.</summary>
    public static void AssertValid(JsonSchema schema, JsonNode? instance, string what)
    {
        using var doc = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var results = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return;
        var errors = (results.Details ?? new List<EvaluationResults>())
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"));
        Assert.Fail($"{what} is not valid:\n{string.Join("\n", errors.Take(20))}\n{instance?.ToJsonString()}");
    }

    public static bool IsValid(JsonSchema schema, JsonNode? instance)
    {
        using var doc = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        return schema.Evaluate(doc.RootElement).IsValid;
    }
}
