using System.Text.Json;
using NftPS.Language.Script;
using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Language.Json;

/// <summary>A libnftables JSON document (`nft -j list ruleset` output or a JSON command list) read as the nft file
/// it stands for. The JSON is translated to nft file text, one command per line, and that text goes through the same
/// parser and <see cref="ScriptEvaluator"/> as `Import-NftRuleset` files: one pipeline, one set of semantics, one
/// atomic batch. Errors from any stage name the JSON node they come from.</summary>
internal sealed class JsonScript
{
    private readonly IReadOnlyList<JsonScriptReader.Segment> _segments;

    private JsonScript(string text, NftScript script, IReadOnlyList<JsonScriptReader.Segment> segments)
    {
        Text = text;
        Script = script;
        _segments = segments;
    }

    /// <summary>The nft file text the JSON stands for (what ConvertFrom-NftJson prints).</summary>
    public string Text { get; }

    public NftScript Script { get; }

    public IReadOnlyList<ScriptCommand> Commands => Script.Commands;

    /// <summary>Reads JSON text. Throws <see cref="NftJsonException"/> for malformed JSON, schema violations and
    /// nft syntax errors in the translated commands.</summary>
    public static JsonScript Parse(string json)
    {
        var (text, segments) = JsonScriptReader.Translate(json);
        NftScript script;
        try
        {
            script = NftScript.Parse(text, null, Array.Empty<string>());
        }
        catch (NftLanguageException e)
        {
            throw Locate(e, segments);
        }
        return new JsonScript(text, script, segments);
    }

    public static JsonScript ParseFile(string path) => Parse(SourceFile.Read(path));

    /// <summary>Evaluates the commands and queues them on <paramref name="batch"/>; nothing is queued on error.</summary>
    public void QueueOn(NftBatch batch, ScriptContext? context = null)
    {
        try
        {
            Script.QueueOn(batch, context);
        }
        catch (NftLanguageException e)
        {
            throw Locate(e, _segments);
        }
    }

    /// <summary>The innermost JSON node whose translation contains the error position.</summary>
    private static NftJsonException Locate(NftLanguageException e, IReadOnlyList<JsonScriptReader.Segment> segments)
    {
        int at = e.Span.Offset;
        JsonScriptReader.Segment? best = null;
        foreach (var s in segments)
        {
            bool inside = at >= s.Start && (at < s.End || (at == s.End && s.End == s.Start));
            // Inner nodes are recorded before the nodes that contain them: on equal length the inner one wins.
            if (inside && (best is null || s.End - s.Start < best.Value.End - best.Value.Start)) best = s;
        }
        // An error at the end of a command (missing part) belongs to the whole command.
        best ??= segments.Where(s => at >= s.Start && at <= s.End).OrderBy(s => s.End - s.Start).Cast<JsonScriptReader.Segment?>().FirstOrDefault();
        if (best is null) return new NftJsonException("nftables", e.Reason, null, e);
        return new NftJsonException(best.Value.Path, e.Reason, JsonScriptReader.Shorten(best.Value.Value), e);
    }
}
