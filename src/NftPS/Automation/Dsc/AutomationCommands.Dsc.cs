using System.Text.Json;
using System.Text.Json.Nodes;
using NftPS.DesiredState;
using NftPS.Language;
using NftPS.Language.Json;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Automation;

/// <summary>`nftps dsc get|test|set|export|validate`: the DSC v3 command-resource protocol of NftPS/Ruleset
/// (NftPS.dsc.resource.json). The instance is nftps's parameter object (docs/nftps.md) plus read-only properties,
/// on stdin; the answer is one JSON object on stdout (JSON Lines for export; with "return": "stateAndDiff" a second
/// line naming the properties that differ or changed); log lines are JSON on stderr ({"info": ...}, {"error": ...}),
/// the forms DSC lifts into its own trace. Exit codes are nftps's (<see cref="ExitCodes"/>): DSC fails the operation
/// on anything but 0, so a drift is reported in _inDesiredState, never by the exit code.</summary>
internal sealed partial class AutomationCommands
{
    /// <summary>Properties that only the resource writes: given back as input (a get result reused as desired
    /// state), they are dropped before the parameter object is read, which refuses names it does not know.</summary>
    private static readonly string[] DscReadOnly = { "managedTables", "generation" };

    public int Dsc()
    {
        _o.Stateless = true; // states compare as text: counter values would make every read differ
        _o.JsonErrors = true; // every error becomes {"error": ...} on stderr, a line DSC logs as an error
        if (_o.Positionals.Count != 1)
            throw new CliUsageException("dsc takes one operation: get, test, set, export or validate.");
        string operation = _o.Positionals[0];
        _o.Positionals.Clear();
        return operation switch
        {
            "get" => DscGet(),
            "test" => DscTest(),
            "set" => DscSet(),
            "export" => DscExport(),
            "validate" => DscValidate(),
            _ => throw new CliUsageException($"Unknown dsc operation '{operation}': get, test, set, export or validate."),
        };
    }

    private int DscGet()
    {
        var instance = DscInstance.Read(_stdin, DscReadOnly);
        var (input, desired) = DscDesired(instance);
        using var backend = Open();
        var tables = RulesetComparer.ManagedTables(desired);
        var live = ManagedTableReader.Read(backend, tables, CancellationToken.None);
        _stdout.Write(DscState(instance, input, live, tables).ToJsonString(DscJson) + "\n");
        return ExitCodes.Success;
    }

    private int DscTest()
    {
        var instance = DscInstance.Read(_stdin, DscReadOnly);
        var (input, desired) = DscDesired(instance);
        using var backend = Open();
        var tables = RulesetComparer.ManagedTables(desired);
        var live = ManagedTableReader.Read(backend, tables, CancellationToken.None);
        var comparison = RulesetComparer.Compare(live, desired, CompareOptions);
        var state = DscState(instance, input, live, tables);
        state["_inDesiredState"] = comparison.InDesiredState;
        state["_metadata"] = new JsonObject { ["commands"] = Strings(comparison.Differences.SelectMany(d => d.Commands)) };
        _stdout.Write(state.ToJsonString(DscJson) + "\n");
        _stdout.Write(Strings(DscChangedProperties(comparison, input, live, tables)).ToJsonString(DscJson) + "\n");
        DscLog("info", comparison.InDesiredState
            ? $"In the desired state ({Describe(tables)})."
            : $"{comparison.Differences.Count} difference(s) in {Describe(tables)}.");
        return ExitCodes.Success;
    }

    /// <summary>set and set --what-if (the manifest's whatIf operation). implementsPretest: compares first and sends
    /// nothing when already in the desired state; handlesExist: "_exist": false deletes the tables the instance
    /// names. The after state is read back from the kernel (with --what-if: the state now, and the commands that
    /// would be sent in _metadata.whatIf).</summary>
    private int DscSet()
    {
        var instance = DscInstance.Read(_stdin, DscReadOnly);
        var (input, desired) = DscDesired(instance);
        var tables = RulesetComparer.ManagedTables(desired);
        using var backend = Open();
        for (int attempt = 0; ; attempt++)
        {
            var before = ManagedTableReader.Read(backend, tables, CancellationToken.None);
            var comparison = RulesetComparer.Compare(before, desired, CompareOptions);
            var commands = Strings(comparison.Differences.SelectMany(d => d.Commands));
            var changed = DscChangedProperties(comparison, input, before, tables);
            if (comparison.InDesiredState || _o.WhatIf)
            {
                var now = DscState(instance, input, before, tables);
                if (_o.WhatIf) now["_metadata"] = new JsonObject { ["whatIf"] = commands };
                _stdout.Write(now.ToJsonString(DscJson) + "\n");
                _stdout.Write(Strings(changed).ToJsonString(DscJson) + "\n");
                DscLog("info", comparison.InDesiredState
                    ? $"Already in the desired state ({Describe(tables)}); nothing was sent."
                    : $"What if: {comparison.Differences.Count} difference(s) would be converged in {Describe(tables)}; nothing was sent.");
                return ExitCodes.Success;
            }
            var transaction = Transaction(comparison);
            try
            {
                new NftPS.NfTables.Transactions.NftSession(backend).Commit(transaction);
            }
            catch (NftPS.NfTables.Transactions.NftConflictException) when (attempt < _o.MaxRetries)
            {
                DscLog("warn", "The ruleset changed after it was read; comparing again.");
                continue;
            }
            DscLog("info", $"Sent {transaction.Count} operation(s) for {comparison.Differences.Count} difference(s) in {Describe(tables)}.");
            var after = ManagedTableReader.Read(backend, tables, CancellationToken.None);
            var state = DscState(instance, input, after, tables);
            state["_metadata"] = new JsonObject { ["commands"] = commands };
            _stdout.Write(state.ToJsonString(DscJson) + "\n");
            _stdout.Write(Strings(changed).ToJsonString(DscJson) + "\n");
            return ExitCodes.Success;
        }
    }

    /// <summary>Every table of the namespace (the instance's netns, if DSC sends one) as its own instance, one JSON
    /// line each: each line given back to set manages exactly that table.</summary>
    private int DscExport()
    {
        var instance = DscInstance.ReadOptional(_stdin, DscReadOnly);
        if (instance?["netns"] is JsonValue ns && ns.TryGetValue(out string? name) && name.Length > 0) _o.Netns = name;
        using var backend = Open();
        var all = backend.ReadDescribed(new RulesetQuery(), CancellationToken.None);
        foreach (var table in all.Tables)
        {
            var one = new[] { (table.Family, table.Name) };
            var live = ManagedTableReader.Read(backend, one, CancellationToken.None);
            var state = new JsonObject { ["tables"] = Print(live) };
            if (!string.IsNullOrEmpty(_o.Netns)) state["netns"] = _o.Netns;
            state["_exist"] = true;
            state["managedTables"] = Strings(one.Select(JsonOutput.Table));
            _stdout.Write(state.ToJsonString(DscJson) + "\n");
        }
        return ExitCodes.Success;
    }

    /// <summary>Whether the instance is one set can take: the parameter object reads and the desired state compiles
    /// (nothing is read from or sent to the kernel). {"valid": false, "reason": nft's message with its caret} when not.</summary>
    private int DscValidate()
    {
        string? reason = null;
        try
        {
            DscDesired(DscInstance.Read(_stdin, DscReadOnly));
        }
        catch (Exception ex) when (ex is CliUsageException or NftLanguageException or NftJsonException or DesiredStateReadException
                                       or NftPS.NfTables.Operations.NftOperationException)
        {
            reason = ex.Message;
        }
        var result = new JsonObject { ["valid"] = reason is null };
        if (reason is not null) result["reason"] = reason;
        _stdout.Write(result.ToJsonString(DscJson) + "\n");
        return ExitCodes.Success;
    }

    private (DesiredStateInput Input, DesiredRuleset Desired) DscDesired(JsonObject instance)
    {
        var input = DesiredStateInput.Resolve(_o, new StringReader(instance.ToJsonString()));
        if (input.IsEmpty && input.Exist)
            throw new CliUsageException("The instance has no desired state: give \"tables\" (nft text or libnftables JSON) or \"path\".");
        return (input, input.Compile(Warn));
    }

    /// <summary>The actual state in the instance's own shape: "tables" as the host has the managed tables (nft text,
    /// or libnftables JSON when the instance gave JSON), the instance's identifying properties echoed, and whether
    /// every managed table exists.</summary>
    private JsonObject DscState(JsonObject instance, DesiredStateInput input, NftRuleset live,
        IReadOnlyList<(NftFamily Family, string Table)> tables)
    {
        var state = new JsonObject();
        state["tables"] = instance["tables"] is JsonObject or JsonArray
            ? JsonNode.Parse(RulesetJson.ToText(live, new NftJsonOptions { Stateless = true }))
            : Print(live);
        foreach (var echo in new[] { "path", "includePath" })
            if (instance[echo] is { } value) state[echo] = value.DeepClone();
        if (!string.IsNullOrEmpty(_o.Netns)) state["netns"] = _o.Netns;
        state["_exist"] = tables.Count > 0 && tables.All(t => live.FindTable(t.Family, t.Table) is not null);
        state["_purge"] = !_o.KeepUnlisted;
        if (_o.IncludeDynamicElements) state["includeDynamicElements"] = true;
        if (_o.IncludeObjectValues) state["includeObjectValues"] = true;
        state["managedTables"] = Strings(tables.Select(JsonOutput.Table));
        _ = input;
        return state;
    }

    /// <summary>The properties a set changes (or would): "tables" when anything differs, and "_exist" when a managed
    /// table is created or deleted.</summary>
    private static IEnumerable<string> DscChangedProperties(RulesetComparison comparison, DesiredStateInput input,
        NftRuleset live, IReadOnlyList<(NftFamily Family, string Table)> tables)
    {
        if (comparison.InDesiredState) yield break;
        bool allExist = tables.Count > 0 && tables.All(t => live.FindTable(t.Family, t.Table) is not null);
        bool noneExist = tables.All(t => live.FindTable(t.Family, t.Table) is null);
        if (input.Exist ? !allExist : !noneExist) yield return "_exist";
        if (input.Exist || !noneExist) yield return "tables";
    }

    private void DscLog(string level, string message) =>
        _stderr.Write(JsonOutput.Write(w => w.WriteString(level, message)));

    private static string Describe(IReadOnlyList<(NftFamily Family, string Table)> tables) =>
        tables.Count == 0 ? "no table" : string.Join(", ", tables.Select(t => "table " + JsonOutput.Table(t)));

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    private static readonly JsonSerializerOptions DscJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>The instance DSC sends on stdin: one JSON object.</summary>
internal static class DscInstance
{
    public static JsonObject Read(TextReader stdin, IEnumerable<string> readOnly) =>
        ReadOptional(stdin, readOnly) ?? throw new CliUsageException("DSC sent no instance on stdin.");

    /// <summary>Null when stdin is empty (export without input).</summary>
    public static JsonObject? ReadOptional(TextReader stdin, IEnumerable<string> readOnly)
    {
        string text = stdin.ReadToEnd();
        if (string.IsNullOrWhiteSpace(text)) return null;
        JsonNode? node;
        try { node = JsonNode.Parse(text); }
        catch (JsonException ex) { throw new CliUsageException($"The instance on stdin is not valid JSON: {ex.Message}"); }
        if (node is not JsonObject o) throw new CliUsageException("The instance on stdin must be a JSON object.");
        foreach (var name in readOnly) o.Remove(name);
        return o;
    }
}
