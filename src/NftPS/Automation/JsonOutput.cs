using System.Text;
using System.Text.Json;
using NftPS.DesiredState;
using NftPS.NfTables;
using NftPS.NfTables.Rollback;

namespace NftPS.Automation;

/// <summary>nftps's JSON, written field by field (no reflection, so the native build needs no serializer metadata).
/// One compact document per run, ending in a newline.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        // nft text holds quotes and '<' often: keep it readable, escaping only what JSON requires.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static string Table((NftFamily Family, string Table) t) => $"{t.Family.ToKeyword()} {t.Table}";

    public static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    public static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    /// <summary>The differences as Compare-NftRuleset shows them: change, object, where, before/after nft text, reason,
    /// and the nft commands that remove it.</summary>
    public static void Differences(Utf8JsonWriter w, IEnumerable<NftDifference> differences)
    {
        w.WriteStartArray("differences");
        foreach (var d in differences)
        {
            w.WriteStartObject();
            w.WriteString("change", d.Change.ToString());
            w.WriteString("objectKind", d.ObjectKind.ToString());
            w.WriteString("family", d.Family.ToKeyword());
            w.WriteString("table", d.Table);
            NullableString(w, "chain", d.Chain);
            NullableString(w, "name", d.Name);
            if (d.Position is { } pos) w.WriteNumber("position", pos); else w.WriteNull("position");
            if (d.Handle is { } h) w.WriteNumber("handle", h); else w.WriteNull("handle");
            NullableString(w, "before", d.Before);
            NullableString(w, "after", d.After);
            NullableString(w, "reason", d.Reason);
            Strings(w, "commands", d.Commands);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static void Comparison(Utf8JsonWriter w, RulesetComparison comparison, string? netns)
    {
        Strings(w, "managedTables", comparison.ManagedTables.Select(Table));
        w.WriteNumber("generation", comparison.Generation);
        NullableString(w, "netns", netns);
    }

    public static void PendingChange(Utf8JsonWriter w, PendingChangeState? state)
    {
        if (state is null)
        {
            w.WriteNull("pendingChange");
            return;
        }
        w.WriteStartObject("pendingChange");
        w.WriteString("id", state.Id);
        w.WriteString("status", state.Status.ToString());
        w.WriteString("deadline", state.DeadlineUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Strings(w, "tables", state.Tables.Select(t => $"{t.Family.ToKeyword()} {t.Name}"));
        w.WriteNumber("generationBefore", state.GenerationBefore);
        w.WriteNumber("generationAfter", state.GenerationAfter);
        NullableString(w, "netns", state.NetworkNamespace);
        w.WriteString("agent", state.AgentKind == RollbackAgentKind.SystemdUnit ? $"systemd unit {state.AgentUnit}" : $"detached process {state.AgentProcessId}");
        if (state.Outcome is { } outcome)
        {
            w.WriteStartObject("outcome");
            w.WriteString("at", outcome.AtUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("by", outcome.By);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
