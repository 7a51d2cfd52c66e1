using System.Text.Json;
using NftPS.DesiredState;
using NftPS.Language.Json;
using NftPS.Language.Printing;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Rollback;
using NftPS.NfTables.Transactions;
using NftPS.Language;

namespace NftPS.Automation;

/// <summary>The commands of nftps, one method each, over the same library calls as the desired-state cmdlets:
/// compile (DesiredRuleset), read only the managed tables (ManagedTableReader), compare (RulesetComparer), and send
/// the comparison's operations as one transaction checked against the generation it read.</summary>
internal sealed partial class AutomationCommands
{
    private readonly CliOptions _o;
    private readonly TextReader _stdin;
    private readonly TextWriter _stdout, _stderr;
    private readonly NftpsHost _host;

    public AutomationCommands(CliOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr, NftpsHost host)
    {
        _o = options;
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
        _host = host;
    }

    private DesiredStateOptions CompareOptions => new()
    {
        Purge = !_o.KeepUnlisted,
        IncludeDynamicElements = _o.IncludeDynamicElements,
        IncludeObjectValues = _o.IncludeObjectValues,
    };

    private void Warn(string message)
    {
        if (_o.JsonErrors) _stderr.Write(JsonOutput.Write(w => w.WriteString("warn", message)));
        else _stderr.WriteLine("Warning: " + message);
    }

    private void NoPositionals()
    {
        if (_o.Positionals.Count > 0) throw new CliUsageException($"'{_o.Positionals[0]}' is not an option of {_o.Command}.");
    }

    /// <summary>The desired state, compiled; refused when there is none.</summary>
    private (DesiredStateInput Input, DesiredRuleset Desired) Desired()
    {
        _o.Positionals.Remove("-"); // '-' (stdin) is the default for the commands that need a desired state
        NoPositionals();
        var input = DesiredStateInput.Resolve(_o, _stdin);
        if (input.IsEmpty && input.Exist)
            throw new CliUsageException($"{_o.Command} needs a desired state: --path FILE, --text TEXT, or nft text, libnftables JSON or the parameter object on stdin.");
        return (input, input.Compile(Warn));
    }

    private NfTablesConnection Open() => NfTablesConnection.Open(string.IsNullOrEmpty(_o.Netns) ? null : _o.Netns);

    private RulesetComparison Compare(NfTablesConnection backend, DesiredRuleset desired)
    {
        var live = ManagedTableReader.Read(backend, RulesetComparer.ManagedTables(desired), CancellationToken.None);
        return RulesetComparer.Compare(live, desired, CompareOptions);
    }

    public int Test()
    {
        var (_, desired) = Desired();
        using var backend = Open();
        var comparison = Compare(backend, desired);
        _stdout.Write(JsonOutput.Write(w =>
        {
            w.WriteBoolean("inDesiredState", comparison.InDesiredState);
            JsonOutput.Differences(w, comparison.Differences);
            JsonOutput.Comparison(w, comparison, _o.Netns);
        }));
        return comparison.InDesiredState ? ExitCodes.Success : ExitCodes.Drift;
    }

    public int Diff()
    {
        var (_, desired) = Desired();
        using var backend = Open();
        var comparison = Compare(backend, desired);
        _stdout.Write(JsonOutput.Write(w =>
        {
            JsonOutput.Differences(w, comparison.Differences);
            JsonOutput.Strings(w, "commands", comparison.Differences.SelectMany(d => d.Commands));
            JsonOutput.Comparison(w, comparison, _o.Netns);
        }));
        return comparison.InDesiredState ? ExitCodes.Success : ExitCodes.Drift;
    }

    /// <summary>The managed tables as they are now, in the parameter object's shape ("tables" as nft text, or as
    /// libnftables JSON with --format json), so what get prints can be given back to set.</summary>
    public int Get()
    {
        var (input, desired) = Desired();
        var tables = RulesetComparer.ManagedTables(desired);
        using var backend = Open();
        var live = ManagedTableReader.Read(backend, tables, CancellationToken.None);
        bool exist = tables.All(t => live.FindTable(t.Family, t.Table) is not null);
        _stdout.Write(JsonOutput.Write(w =>
        {
            if (_o.Format == "json")
            {
                w.WritePropertyName("tables");
                using var doc = JsonDocument.Parse(RulesetJson.ToText(live, new NftJsonOptions { Stateless = _o.Stateless }));
                doc.RootElement.WriteTo(w);
            }
            else w.WriteString("tables", Print(live));
            w.WriteBoolean("_exist", exist);
            w.WriteBoolean("purge", !_o.KeepUnlisted);
            JsonOutput.NullableString(w, "netns", _o.Netns);
            JsonOutput.Strings(w, "managedTables", tables.Select(JsonOutput.Table));
            w.WriteNumber("generation", live.Generation);
        }));
        _ = input;
        return ExitCodes.Success;
    }

    /// <summary>The managed tables (or with no desired state the whole ruleset) exactly as `nft list ruleset` (or
    /// `nft -j list ruleset` with --format json) prints them: not wrapped in JSON, so it can be saved as a file.</summary>
    public int Export()
    {
        // Export needs no desired state, so stdin is read only when asked for with '-': a caller that leaves stdin
        // open (a pipe nobody closes) must not hang the export, nor have unrelated input taken as a desired state.
        bool fromStdin = _o.Positionals.Remove("-");
        NoPositionals();
        var input = DesiredStateInput.Resolve(_o, fromStdin ? _stdin : TextReader.Null);
        using var backend = Open();
        NftRuleset ruleset;
        if (input.IsEmpty && input.Exist) ruleset = backend.ReadDescribed(new RulesetQuery(), CancellationToken.None);
        else
        {
            var desired = input.Compile(Warn);
            ruleset = ManagedTableReader.Read(backend, RulesetComparer.ManagedTables(desired), CancellationToken.None);
        }
        _stdout.Write(_o.Format == "json" ? RulesetJson.ToText(ruleset, new NftJsonOptions { Stateless = _o.Stateless }) + "\n" : Print(ruleset));
        return ExitCodes.Success;
    }

    private string Print(NftRuleset ruleset) =>
        RulesetPrinter.Print(ruleset, new RulesetPrintOptions { Stateless = _o.Stateless, Strict = true });
}
