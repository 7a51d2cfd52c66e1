using System.Management.Automation;
using NftPS.DesiredState;
using NftPS.Language.Evaluate;
using NftPS.Language.Script;

namespace NftPS.Cmdlets.Convergence;

/// <summary>What Compare-, Test- and Set-NftRuleset share: the desired state (an nft file, nft text, libnftables JSON
/// or NftPS objects), the convergence options, and the read of the managed tables the comparison runs against. Each
/// file or text given is its own desired state; objects piped in are gathered into one, compared when input ends.</summary>
public abstract class DesiredStateCmdletBase : NftCmdletBase
{
    public const string PathSet = "Path", TextSet = "Text", InputObjectSet = "InputObject";

    /// <summary>An nft file (what `nft -f` loads: table blocks, define, include), or libnftables JSON with -AsJson.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Folders searched for `include` files after the including file's own folder.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public string[]? IncludePath { get; set; }

    /// <summary>The desired state as nft text (the language of an nft file).</summary>
    [Parameter(Mandatory = true, ParameterSetName = TextSet)]
    [AllowEmptyString]
    public string Text { get; set; } = "";

    /// <summary>-Path or -Text is libnftables JSON (`nft -j list ruleset` output) instead of nft's language.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = TextSet)]
    public SwitchParameter AsJson { get; set; }

    /// <summary>NftPS objects: rulesets (Get-NftRuleset) and tables (Get-NftTable: each with everything in it).</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>Leave what a managed table holds and the desired state does not list (purge is the default).</summary>
    [Parameter]
    [Alias("NoPurge")]
    public SwitchParameter KeepUnlisted { get; set; }

    /// <summary>Also converge the elements of sets the packet path fills (dynamic sets, sets with timeouts).</summary>
    [Parameter]
    public SwitchParameter IncludeDynamicElements { get; set; }

    /// <summary>Also converge the values of named counters and quotas (otherwise they keep counting).</summary>
    [Parameter]
    public SwitchParameter IncludeObjectValues { get; set; }

    private readonly DesiredInput _gathered = new();
    private bool _inputRefused;

    private protected DesiredStateOptions Options => new()
    {
        Purge = !KeepUnlisted,
        IncludeDynamicElements = IncludeDynamicElements,
        IncludeObjectValues = IncludeObjectValues,
    };

    /// <summary>Every NftPS object piped in (a ruleset, a table, or a part refused later) is desired state, never a
    /// target: where it was read does not pick the namespace compared or changed (that is -NetworkNamespace, or the
    /// caller's own namespace), so a copy from namespace A compares with B without an origin conflict.</summary>
    private protected override string? TemplateKind =>
        InvocationIntrospection.CurrentPipelineObject(this)?.TypeNames
            .Select(t => t.IndexOf(ModelNamespace, StringComparison.Ordinal) is var i and >= 0 ? t[(i + ModelNamespace.Length)..] : null)
            .FirstOrDefault(n => n is not null);

    private const string ModelNamespace = "NftPS.NfTables.Model.";

    protected override void ProcessRecord()
    {
        if (!ResolveNamespace()) return;
        if (ParameterSetName != InputObjectSet)
        {
            ProcessDesiredState(Describe());
            return;
        }
        foreach (var input in InputObject)
            if (!_gathered.Add(input, out string? refusal))
            {
                _inputRefused = true;
                WriteError(new ErrorRecord(new ArgumentException(refusal), "NftDesiredStateInputUnsupported", ErrorCategory.InvalidArgument, input));
            }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName != InputObjectSet) return;
        // Part of the desired state missing would purge what it holds: nothing is compared then.
        if (_inputRefused)
        {
            WriteError(new ErrorRecord(new InvalidOperationException(
                    "Part of the input could not be taken into the desired state, so nothing was compared or changed."),
                "NftDesiredStateIncomplete", ErrorCategory.InvalidArgument, null));
            return;
        }
        if (_gathered.IsEmpty) return;
        ProcessDesiredState(_gathered.Describe());
    }

    /// <summary>Compares (and for Set-NftRuleset applies) one desired state; <paramref name="source"/> names it in
    /// messages and errors.</summary>
    private protected abstract void ProcessDesiredState(string source);

    /// <summary>"file /etc/nftables.conf", "the -Text value", "2 tables piped in".</summary>
    private string Describe() => ParameterSetName == PathSet ? $"file {GetUnresolvedProviderPathFromPSPath(Path)}" : "the -Text value";

    /// <summary>Compiles the desired state; on failure writes the error (the bad text named, with its position)
    /// and returns null. <paramref name="ids"/>: the batch-local ids of the batch its operations will join.</summary>
    private protected DesiredRuleset? Compile(BatchIds ids, string source)
    {
        var context = new ScriptContext { Ids = ids, Warning = WriteWarning };
        return Guard(() =>
        {
            if (ParameterSetName == InputObjectSet) return DesiredRuleset.FromRuleset(_gathered.Build(Cancellation), context);
            if (ParameterSetName == TextSet) return AsJson ? DesiredRuleset.FromJson(Text, context) : DesiredRuleset.FromText(Text, null, Includes(), context);
            string full = GetUnresolvedProviderPathFromPSPath(Path);
            return AsJson ? DesiredRuleset.FromJson(SourceFile.Read(full), context) : DesiredRuleset.FromFile(full, Includes(), context);
        }, source);
    }

    private List<string>? Includes() => IncludePath?.Select(GetUnresolvedProviderPathFromPSPath).ToList();

    /// <summary>Reads the managed tables of the target namespace and compares them with <paramref name="desired"/>;
    /// on failure writes the error and returns null.</summary>
    private protected RulesetComparison? CompareWithHost(DesiredRuleset desired, string source)
    {
        var tables = RulesetComparer.ManagedTables(desired);
        var live = Invoke(backend => ManagedTableReader.Read(backend, tables, Cancellation), source);
        if (live is null) return null;
        return Guard(() => RulesetComparer.Compare(live, desired, Options), source);
    }

    /// <summary>Runs a core call; its failure becomes a non-terminating error naming <paramref name="target"/>.</summary>
    private protected T? Guard<T>(Func<T> call, object? target) where T : class
    {
        try
        {
            return call();
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteError(ex is ArgumentException and not NftPS.NfTables.Operations.NftOperationException
                ? new ErrorRecord(ex, "NftInvalidArgument", ErrorCategory.InvalidArgument, target)
                : NftErrors.FromException(ex, target));
            return null;
        }
    }
}
