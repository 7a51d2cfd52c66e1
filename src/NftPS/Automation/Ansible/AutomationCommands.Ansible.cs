using System.Text.Json;
using System.Text.Json.Nodes;
using NftPS.DesiredState;
using NftPS.Language;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Automation;

/// <summary>`nftps ansible ruleset|info`: what the nftps.nftables collection's modules (ansible/) run. stdin is
/// {"params": the module's parameters, "check_mode": bool, "diff": bool}; stdout is the module result as Ansible
/// takes it (changed, diff {before, after}, msg, failed, ansible_facts). A failure is a result with "failed": true
/// and the parser's message (its caret line) or the kernel's in "msg", never a bare exit code, so the task shows it.</summary>
internal sealed partial class AutomationCommands
{
    public int Ansible()
    {
        JsonObject result;
        try
        {
            if (_o.Positionals.Count != 1) throw new CliUsageException("ansible takes one entry point: ruleset or info.");
            string entry = _o.Positionals[0];
            _o.Positionals.Clear();
            var request = AnsibleRequest.Read(_stdin);
            result = entry switch
            {
                "ruleset" => AnsibleRuleset(request),
                "info" => AnsibleInfo(request),
                _ => throw new CliUsageException($"Unknown ansible entry point '{entry}': ruleset or info."),
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            result = new JsonObject { ["failed"] = true, ["changed"] = false, ["msg"] = ex.Message };
            if (ex is not (CliUsageException or Language.Syntax.NftLanguageException or Language.Json.NftJsonException
                    or NfTables.Transactions.NftTransactionException or NfTables.Operations.NftOperationException
                    or DesiredStateReadException or Netlink.NetlinkException or Netlink.NetworkNamespaceNotFoundException
                    or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException))
                result["msg"] = $"nftps: internal error ({ex.GetType().Name}): {ex.Message}";
        }
        _stdout.Write(result.ToJsonString(AnsibleJson) + "\n");
        return ExitCodes.Success;
    }

    /// <summary>nftables_ruleset: compare, and unless in check mode send the difference as one transaction. "changed"
    /// is whether anything was (would be) sent; the diff is the managed tables before and after as nft text.</summary>
    private JsonObject AnsibleRuleset(AnsibleRequest request)
    {
        _o.Stateless = true; // the diff compares definitions, not counter values
        var p = request.Params;
        var parameters = new JsonObject();
        if (p.Text("src") is { } src) parameters["path"] = src;
        if (p.Text("content") is { } content) parameters["tables"] = content;
        if (p["tables"] is { } tables)
            parameters["tables"] = tables is JsonValue v && v.TryGetValue(out string? json) ? ParseTablesJson(json) : tables.DeepClone();
        if (p.Text("state") == "absent") parameters["_exist"] = false;
        if (p.Text("netns") is { Length: > 0 } ns) parameters["netns"] = ns;
        if (p.Flag("purge") is false) parameters["purge"] = false;
        if (p.Flag("include_dynamic_elements") is true) parameters["includeDynamicElements"] = true;
        if (p.Flag("include_object_values") is true) parameters["includeObjectValues"] = true;
        if (p["confirm_within"] is JsonValue within && within.TryGetValue(out int seconds)) parameters["confirmWithin"] = seconds;
        if (request.CheckMode) _o.WhatIf = true;

        // In the module's words: the parameter object would name its own properties (path, tables).
        if (!parameters.ContainsKey("path") && !parameters.ContainsKey("tables"))
            throw new CliUsageException("One of src, content or tables is required.");
        var input = DesiredStateInput.Resolve(_o, new StringReader(parameters.ToJsonString()));
        var desired = input.Compile(message => request.Warnings.Add(message));
        var managed = RulesetComparer.ManagedTables(desired);
        using var backend = Open();
        for (int attempt = 0; ; attempt++)
        {
            var before = ManagedTableReader.Read(backend, managed, CancellationToken.None);
            var comparison = RulesetComparer.Compare(before, desired, CompareOptions);
            var result = new JsonObject
            {
                ["changed"] = !comparison.InDesiredState,
                ["commands"] = Strings(comparison.Differences.SelectMany(d => d.Commands)),
                ["differences"] = comparison.Differences.Count,
                ["tables"] = Strings(managed.Select(JsonOutput.Table)),
            };
            string beforeText = Print(before);
            if (comparison.InDesiredState || _o.WhatIf)
            {
                // Check mode cannot print the tables as they would be (anonymous sets get their names only in the
                // kernel), so the diff lists, per difference, what goes (the host's text) and the nft commands that
                // would be sent.
                result["ruleset"] = beforeText;
                if (request.Diff) result["diff"] = comparison.InDesiredState
                    ? Diff(beforeText, beforeText)
                    : new JsonObject { ["prepared"] = PlannedChange(comparison) };
                return Finish(result, request);
            }
            var transaction = Transaction(comparison);
            var arm = _o.ConfirmWithin is { } window
                ? NfTables.Rollback.RollbackArm.Prepare(backend, transaction, new NfTables.Rollback.ConfirmOptions(window, Agent()) { StoreRoot = _host.StoreRoot })
                : null;
            NfTables.Rollback.PendingChangeState? pending;
            try
            {
                new NfTables.Transactions.NftSession(backend).Commit(transaction);
                pending = arm?.Complete(backend);
            }
            catch (NfTables.Transactions.NftConflictException) when (attempt < _o.MaxRetries)
            {
                arm?.Cancel();
                continue;
            }
            catch when (arm is not null)
            {
                arm.Cancel();
                throw;
            }
            string afterText = Print(ManagedTableReader.Read(backend, managed, CancellationToken.None));
            result["ruleset"] = afterText;
            if (request.Diff) result["diff"] = Diff(beforeText, afterText);
            if (pending is not null) result["pending_change"] = pending.Id;
            return Finish(result, request);
        }
    }

    /// <summary>nftables_info: the ruleset (or one family / table of it) as facts; never changes anything.</summary>
    private JsonObject AnsibleInfo(AnsibleRequest request)
    {
        var p = request.Params;
        if (p.Text("netns") is { Length: > 0 } ns) _o.Netns = ns;
        _o.Stateless = p.Flag("stateless") is true;
        var query = new RulesetQuery();
        if (p.Text("family") is { } family)
            query = query with { Family = NftFamilyNames.TryParse(family, out var f) ? f : throw new CliUsageException($"Unknown family '{family}'.") };
        using var backend = Open();
        // One table is read as a desired state's managed table: a table that does not exist (yet: check mode) is
        // an empty answer, not the kernel's ENOENT for a dump narrowed to it.
        var ruleset = p.Text("table") is { } table
            ? ManagedTableReader.Read(backend, new[] { (query.Family, table) }, CancellationToken.None)
            : backend.ReadDescribed(query, CancellationToken.None);
        var tables = new JsonArray();
        foreach (var t in ruleset.Tables)
            tables.Add((JsonNode)new JsonObject
            {
                ["family"] = t.Family.ToKeyword(),
                ["name"] = t.Name,
                ["chains"] = ruleset.Chains.Count(c => c.Family == t.Family && c.Table == t.Name),
                ["sets"] = ruleset.Sets.Count(s => s.Family == t.Family && s.Table == t.Name),
                ["rules"] = ruleset.Rules.Count(r => r.Family == t.Family && r.Table == t.Name),
            });
        var facts = new JsonObject
        {
            ["ruleset"] = Print(ruleset),
            ["tables"] = tables,
            ["generation"] = ruleset.Generation,
        };
        return Finish(new JsonObject { ["changed"] = false, ["ansible_facts"] = new JsonObject { ["nftables"] = facts } }, request);
    }

    private static JsonObject Diff(string before, string after) => new() { ["before"] = before, ["after"] = after };

    /// <summary>Check mode's diff: each difference named, the host's text it removes or replaces ("-"), and the nft
    /// commands that would be sent for it ("+").</summary>
    private static string PlannedChange(RulesetComparison comparison)
    {
        var text = new System.Text.StringBuilder();
        foreach (var difference in comparison.Differences)
        {
            text.Append("# ").Append(difference).Append('\n');
            if (difference.Change != NftDifferenceChange.Add && difference.Before is { } before)
                foreach (var line in before.Split('\n')) text.Append("- ").Append(line).Append('\n');
            foreach (var command in difference.Commands) text.Append("+ ").Append(command).Append('\n');
        }
        return text.ToString();
    }

    private static JsonObject Finish(JsonObject result, AnsibleRequest request)
    {
        if (request.Warnings.Count > 0) result["warnings"] = Strings(request.Warnings);
        return result;
    }

    /// <summary>The tables option given as a JSON string (Ansible passes a string when the playbook quotes it).</summary>
    private static JsonNode ParseTablesJson(string json)
    {
        try
        {
            return JsonNode.Parse(json) ?? throw new CliUsageException("tables is empty.");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"tables is not libnftables JSON: {ex.Message}");
        }
    }

    private static readonly JsonSerializerOptions AnsibleJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>What the collection's module_utils sends: the module's parameters and Ansible's modes.</summary>
internal sealed class AnsibleRequest
{
    public required AnsibleParams Params { get; init; }
    public bool CheckMode { get; init; }
    public bool Diff { get; init; }
    public List<string> Warnings { get; } = new();

    public static AnsibleRequest Read(TextReader stdin)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(stdin.ReadToEnd()); }
        catch (JsonException ex) { throw new CliUsageException($"The module request on stdin is not valid JSON: {ex.Message}"); }
        if (node is not JsonObject o || o["params"] is not JsonObject p)
            throw new CliUsageException("The module request on stdin must be {\"params\": {...}, \"check_mode\": ..., \"diff\": ...}.");
        return new AnsibleRequest
        {
            Params = new AnsibleParams(p),
            CheckMode = o["check_mode"] is JsonValue c && c.TryGetValue(out bool check) && check,
            Diff = o["diff"] is JsonValue d && d.TryGetValue(out bool diff) && diff,
        };
    }
}

/// <summary>The module's parameters as AnsibleModule validated them (types already checked there); null is unset.</summary>
internal sealed class AnsibleParams(JsonObject values)
{
    public JsonNode? this[string name] => values[name];

    public string? Text(string name) => values[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public bool? Flag(string name) => values[name] is JsonValue v && v.TryGetValue(out bool b) ? b : null;
}
