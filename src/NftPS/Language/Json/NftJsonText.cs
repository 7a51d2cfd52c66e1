using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NftPS.Language.Json;

/// <summary>Writes a JSON tree the way nft prints it (jansson's json_dumpf with no flags): one line, ", " between
/// items, ": " after keys, members in insertion order, non-ASCII kept as UTF-8 and only `"`, `\` and control
/// characters escaped. Indented output goes through <see cref="Utf8JsonWriter"/>.</summary>
internal static class NftJsonText
{
    public static string Write(JsonNode? node, bool indented = false)
    {
        if (indented)
        {
            var options = new JsonSerializerOptions
            {
                WriteIndented = true,
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            };
            return node?.ToJsonString(options) ?? "null";
        }
        var sb = new StringBuilder();
        Append(sb, node);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
            {
                sb.Append('{');
                bool first = true;
                foreach (var (key, value) in o)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    AppendString(sb, key);
                    sb.Append(": ");
                    Append(sb, value);
                }
                sb.Append('}');
                break;
            }
            case JsonArray a:
            {
                sb.Append('[');
                for (int i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Append(sb, a[i]);
                }
                sb.Append(']');
                break;
            }
            case JsonValue v:
                AppendValue(sb, v);
                break;
        }
    }

    private static void AppendValue(StringBuilder sb, JsonValue v)
    {
        if (v.TryGetValue(out string? s)) { AppendString(sb, s); return; }
        if (v.TryGetValue(out bool b)) { sb.Append(b ? "true" : "false"); return; }
        if (v.TryGetValue(out long l)) { sb.Append(l.ToString(CultureInfo.InvariantCulture)); return; }
        if (v.TryGetValue(out ulong ul)) { sb.Append(ul.ToString(CultureInfo.InvariantCulture)); return; }
        if (v.TryGetValue(out int i)) { sb.Append(i.ToString(CultureInfo.InvariantCulture)); return; }
        if (v.TryGetValue(out uint ui)) { sb.Append(ui.ToString(CultureInfo.InvariantCulture)); return; }
        // Anything else (a parsed JsonElement, a double) in System.Text.Json's own compact form.
        sb.Append(v.ToJsonString());
    }

    private static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
