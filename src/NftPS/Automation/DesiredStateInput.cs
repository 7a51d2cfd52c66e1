using System.Text.Json;
using NftPS.DesiredState;
using NftPS.Language.Script;

namespace NftPS.Automation;

/// <summary>Where a desired state comes from: an nft file (--path, with define/include), nft text (--text or stdin),
/// libnftables JSON (--json, or stdin holding {"nftables": [...]}), or the parameter object the DSC resource and the
/// Ansible module send on stdin ({"tables": ..., "purge": ..., "netns": ...}; see docs/nftps.md). The parameter
/// object's settings are merged into the options; a setting given both ways must agree.</summary>
internal sealed class DesiredStateInput
{
    private enum Kind { None, File, Text, Json }

    private Kind _kind;
    private string _value = "";
    private List<string> _includes = new();

    /// <summary>The parameter object's "_exist": false means the tables it names must not exist.</summary>
    public bool Exist { get; private set; } = true;

    public bool IsEmpty => _kind == Kind.None;

    /// <summary>"file /etc/nftables.conf", "the --text value", "stdin": what messages name.</summary>
    public string Source { get; private set; } = "";

    public static DesiredStateInput Resolve(CliOptions options, TextReader stdin)
    {
        var input = new DesiredStateInput { _includes = options.IncludePath.Select(System.IO.Path.GetFullPath).ToList() };
        if (options.Path is { } path)
        {
            input._kind = options.Json ? Kind.Json : Kind.File;
            input._value = System.IO.Path.GetFullPath(path);
            input.Source = $"file {input._value}";
            if (options.Json) input._value = ReadFile(input._value);
            return input;
        }
        if (options.Text is { } text)
        {
            input._kind = options.Json ? Kind.Json : Kind.Text;
            input._value = text;
            input.Source = "the --text value";
            return input;
        }
        string all = stdin.ReadToEnd();
        if (string.IsNullOrWhiteSpace(all)) return input;
        input.Source = "stdin";
        if (all.TrimStart()[0] != '{' && !options.Json)
        {
            input._kind = Kind.Text;
            input._value = all;
            return input;
        }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(all); }
        catch (JsonException ex) { throw new CliUsageException($"stdin is not valid JSON: {ex.Message}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CliUsageException("stdin JSON must be an object: libnftables JSON ({\"nftables\": [...]}) or the parameter object ({\"tables\": ...}).");
            if (options.Json || doc.RootElement.TryGetProperty("nftables", out _))
            {
                input._kind = Kind.Json;
                input._value = all;
                return input;
            }
            input.TakeParameterObject(doc.RootElement, options);
        }
        return input;
    }

    /// <summary>The parameter object of the DSC resource and the Ansible module. Unknown properties are refused (a
    /// typo must not silently purge), except DSC's own canonical ones (_name, _inDesiredState, ...), which are ignored.</summary>
    private void TakeParameterObject(JsonElement o, CliOptions options)
    {
        Source = "the parameter object";
        foreach (var p in o.EnumerateObject())
        {
            switch (p.Name)
            {
                case "tables":
                    switch (p.Value.ValueKind)
                    {
                        case JsonValueKind.String:
                            _kind = Kind.Text;
                            _value = p.Value.GetString()!;
                            break;
                        case JsonValueKind.Object:
                            _kind = Kind.Json;
                            _value = p.Value.GetRawText();
                            break;
                        case JsonValueKind.Array:
                            // A bare list of libnftables items is the "nftables" array itself.
                            _kind = Kind.Json;
                            _value = "{\"nftables\":" + p.Value.GetRawText() + "}";
                            break;
                        case JsonValueKind.Null:
                            break;
                        default:
                            throw new CliUsageException("\"tables\" takes nft text (a string) or libnftables JSON (an object with \"nftables\", or its array).");
                    }
                    break;
                case "path":
                    if (String(p) is { } path)
                    {
                        _kind = Kind.File;
                        _value = System.IO.Path.GetFullPath(path);
                        Source = $"file {_value}";
                    }
                    break;
                case "includePath":
                    if (p.Value.ValueKind == JsonValueKind.Array)
                        foreach (var d in p.Value.EnumerateArray())
                            _includes.Add(System.IO.Path.GetFullPath(d.ValueKind == JsonValueKind.String ? d.GetString()! : throw new CliUsageException("\"includePath\" takes a list of folders.")));
                    else if (p.Value.ValueKind != JsonValueKind.Null) throw new CliUsageException("\"includePath\" takes a list of folders.");
                    break;
                case "netns":
                    string? ns = String(p);
                    if (string.IsNullOrEmpty(ns)) break;
                    if (options.NetnsGiven && options.Netns != ns)
                        throw new CliUsageException($"--netns '{options.Netns}' and the parameter object's \"netns\" '{ns}' disagree.");
                    options.Netns = ns;
                    break;
                case "purge" or "_purge":
                    if (Bool(p) is false) options.KeepUnlisted = true;
                    break;
                case "_exist" or "exist":
                    Exist = Bool(p) ?? true;
                    break;
                case "whatIf":
                    if (Bool(p) is true) options.WhatIf = true;
                    break;
                case "confirmWithin":
                    if (p.Value.ValueKind == JsonValueKind.Number)
                        options.ConfirmWithin = p.Value.TryGetDouble(out double s) && s > 0
                            ? CliOptions.ParseWindow(s.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "\"confirmWithin\"")
                            : throw new CliUsageException("\"confirmWithin\" takes seconds greater than zero.");
                    else if (String(p) is { } w) options.ConfirmWithin = CliOptions.ParseWindow(w, "\"confirmWithin\"");
                    break;
                case "includeDynamicElements":
                    if (Bool(p) is true) options.IncludeDynamicElements = true;
                    break;
                case "includeObjectValues":
                    if (Bool(p) is true) options.IncludeObjectValues = true;
                    break;
                default:
                    if (p.Name.StartsWith('_')) break; // DSC's canonical properties (_name, _inDesiredState, _securityContext, ...)
                    throw new CliUsageException($"Unknown property \"{p.Name}\" in the parameter object (known: tables, path, includePath, netns, purge, _exist, whatIf, confirmWithin, includeDynamicElements, includeObjectValues).");
            }
        }
        if (_kind == Kind.None && Exist)
            throw new CliUsageException("The parameter object has no desired state: give \"tables\" (nft text or libnftables JSON) or \"path\".");
    }

    private static string? String(JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.String => p.Value.GetString(),
        JsonValueKind.Null => null,
        _ => throw new CliUsageException($"\"{p.Name}\" takes a string."),
    };

    private static bool? Bool(JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw new CliUsageException($"\"{p.Name}\" takes true or false."),
    };

    private static string ReadFile(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DesiredStateReadException($"Cannot read {path}: {ex.Message}", ex);
        }
    }

    /// <summary>Compiles the desired state (warnings go to <paramref name="warning"/>). With "_exist": false the
    /// result names the same tables as absent.</summary>
    public DesiredRuleset Compile(Action<string> warning)
    {
        var context = new ScriptContext { Warning = warning };
        DesiredRuleset desired;
        try
        {
            desired = _kind switch
            {
                Kind.File => DesiredRuleset.FromFile(_value, _includes, context),
                Kind.Text => DesiredRuleset.FromText(_value, null, _includes, context),
                Kind.Json => DesiredRuleset.FromJson(_value, context),
                _ => throw new CliUsageException("No desired state: give --path FILE, --text TEXT, or the desired state on stdin."),
            };
        }
        catch (FileNotFoundException ex) { throw new DesiredStateReadException(ex.Message, ex); }
        catch (DirectoryNotFoundException ex) { throw new DesiredStateReadException(ex.Message, ex); }
        catch (UnauthorizedAccessException ex) { throw new DesiredStateReadException(ex.Message, ex); }
        return Exist ? desired : DesiredRuleset.Absent(RulesetComparer.ManagedTables(desired));
    }
}

/// <summary>The desired state's file could not be read (exit code 3).</summary>
internal sealed class DesiredStateReadException : Exception
{
    public DesiredStateReadException(string message, Exception inner) : base(message, inner) { }
}
