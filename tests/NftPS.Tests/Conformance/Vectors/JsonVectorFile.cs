using System.Text.Json;
using System.Text.Json.Nodes;

namespace NftPS.Tests.Conformance.Vectors;

/// <summary>One block of a `.json` / `.json.output` file: the input rule and its statement array (the "expr" member).</summary>
public sealed record JsonVector(string Rule, int Line, JsonArray? Statements, string? ParseError);

/// <summary>A parsed `.t.json` or `.t.json.output` file (same block layout as payload files; the text is parsed, never compared).</summary>
public sealed class JsonVectorFile
{
    private readonly Dictionary<string, JsonVector> _byRule = new(StringComparer.Ordinal);

    public JsonVectorFile(IReadOnlyList<JsonVector> vectors)
    {
        Vectors = vectors;
        foreach (var v in vectors) _byRule.TryAdd(v.Rule.Trim(), v);
    }

    public IReadOnlyList<JsonVector> Vectors { get; }
    public JsonVector? Find(string rule) => _byRule.GetValueOrDefault(rule.Trim());

    public static JsonVectorFile Load(string path) => Parse(File.ReadAllText(path));

    public static JsonVectorFile Parse(string text)
    {
        var result = new List<JsonVector>();
        string? rule = null;
        int ruleLine = 0;
        var body = new System.Text.StringBuilder();

        void Flush()
        {
            if (rule is null) return;
            string json = body.ToString().Trim();
            try
            {
                var node = JsonNode.Parse(json);
                result.Add(node is JsonArray a
                    ? new JsonVector(rule, ruleLine, a, null)
                    : new JsonVector(rule, ruleLine, null, "not a JSON array"));
            }
            catch (JsonException e)
            {
                result.Add(new JsonVector(rule, ruleLine, null, e.Message));
            }
            rule = null;
            body.Clear();
        }

        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.StartsWith('#'))
            {
                Flush();
                rule = line.Length > 2 ? line[2..].Trim() : "";
                ruleLine = i + 1;
            }
            else if (rule is not null) body.AppendLine(line);
        }
        Flush();
        return new JsonVectorFile(result);
    }

    /// <summary>The expected JSON listing of a rule: its `.json.output` entry when present, else the `.json` input.</summary>
    public static JsonArray? ExpectedListing(JsonVectorFile? input, JsonVectorFile? output, string rule) =>
        output?.Find(rule)?.Statements ?? input?.Find(rule)?.Statements;

    /// <summary>Structural equality of two JSON values (member order ignored, like upstream's sort_keys dump).</summary>
    public static bool JsonEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
}
