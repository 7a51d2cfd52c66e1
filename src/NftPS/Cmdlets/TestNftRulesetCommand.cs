using System.Management.Automation;
using NftPS.Cmdlets.Convergence;
using NftPS.DesiredState;
using NftPS.Language.Evaluate;
using NftPS.NfTables;

namespace NftPS.Cmdlets;

/// <summary>Whether a namespace's ruleset is in the desired state: $true or $false, or with -Detailed one result
/// object holding the answer and the differences. Reads only the tables the desired state names; changes nothing.</summary>
[Cmdlet(VerbsDiagnostic.Test, "NftRuleset", DefaultParameterSetName = PathSet)]
[OutputType(typeof(bool), typeof(NftRulesetTestResult))]
public sealed class TestNftRulesetCommand : DesiredStateCmdletBase
{
    /// <summary>Return an NftRulesetTestResult (InDesiredState, Differences, ...) instead of a bare $true/$false.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    private protected override void ProcessDesiredState(string source)
    {
        var desired = Compile(new BatchIds(), source);
        if (desired is null) return;
        var comparison = CompareWithHost(desired, source);
        // A desired state that cannot be read or compared is an error, never a quiet $false or $true.
        if (comparison is null) return;
        foreach (var difference in comparison.Differences) WriteVerbose(difference.ToString());
        if (!Detailed)
        {
            WriteObject(comparison.InDesiredState);
            return;
        }
        WriteObject(new NftRulesetTestResult
        {
            InDesiredState = comparison.InDesiredState,
            Differences = comparison.Differences.ToArray(),
            ManagedTables = comparison.ManagedTables.Select(t => $"{t.Family.ToKeyword()} {t.Table}").ToArray(),
            Generation = comparison.Generation,
            NetworkNamespace = NetworkNamespace,
            Source = source,
        });
    }
}

/// <summary>What Test-NftRuleset -Detailed returns: the answer and why.</summary>
public sealed class NftRulesetTestResult
{
    /// <summary>True when the namespace already holds the desired state (no difference).</summary>
    public bool InDesiredState { get; init; }
    /// <summary>Every difference, as Compare-NftRuleset returns them.</summary>
    public NftDifference[] Differences { get; init; } = Array.Empty<NftDifference>();
    /// <summary>The tables the desired state manages ("inet filter"); nothing else was read.</summary>
    public string[] ManagedTables { get; init; } = Array.Empty<string>();
    /// <summary>The ruleset generation the host was read at.</summary>
    public uint Generation { get; init; }
    /// <summary>The network namespace tested (null: the caller's own).</summary>
    public string? NetworkNamespace { get; init; }
    /// <summary>Where the desired state came from ("file /etc/nftables.conf", "the -Text value", ...).</summary>
    public string Source { get; init; } = "";

    public override string ToString() => InDesiredState ? "In desired state" : $"{Differences.Length} difference(s)";
}
