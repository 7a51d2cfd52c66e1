using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>delete rule … handle H. Takes rules from the pipeline: `Get-NftRule -Table t | Where Counter -gt 0 | Remove-NftRule`
/// deletes them all in one transaction.</summary>
[Cmdlet(VerbsCommon.Remove, "NftRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
[OutputType(typeof(void))]
public sealed class RemoveNftRuleCommand : RuleChangeCommandBase
{
    /// <summary>No error when the rule does not exist (nft destroy).</summary>
    [Parameter]
    public SwitchParameter IgnoreMissing { get; set; }

    protected override void ProcessChange()
    {
        if (ResolveRule() is not { } r) return;
        if (RefuseXtablesRule(r, "remove")) return;
        Queue(r.Target, "Remove rule", (batch, _) => batch.DeleteRule(r.Family, r.Table, r.Chain, r.Handle, destroy: IgnoreMissing));
    }
}
