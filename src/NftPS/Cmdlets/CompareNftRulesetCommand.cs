using System.Management.Automation;
using NftPS.Cmdlets.Convergence;
using NftPS.DesiredState;
using NftPS.Language.Evaluate;

namespace NftPS.Cmdlets;

/// <summary>The differences between a namespace's ruleset and a desired state, one object per difference, each with
/// the nft commands Set-NftRuleset would send for it. Reads only the tables the desired state names; changes nothing.</summary>
[Cmdlet(VerbsData.Compare, "NftRuleset", DefaultParameterSetName = PathSet)]
[OutputType(typeof(NftDifference))]
public sealed class CompareNftRulesetCommand : DesiredStateCmdletBase
{
    private protected override void ProcessDesiredState(string source)
    {
        var desired = Compile(new BatchIds(), source);
        if (desired is null) return;
        var comparison = CompareWithHost(desired, source);
        if (comparison is null) return;
        WriteVerbose($"{source}: {comparison.Differences.Count} difference(s) in {comparison.ManagedTables.Count} managed table(s) at generation {comparison.Generation}.");
        foreach (var difference in comparison.Differences) WriteObject(difference);
    }
}
