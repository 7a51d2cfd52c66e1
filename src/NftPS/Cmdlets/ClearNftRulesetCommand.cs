using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>flush ruleset: deletes every table (of one family with -Family) in the namespace.</summary>
[Cmdlet(VerbsCommon.Clear, "NftRuleset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(void))]
public sealed class ClearNftRulesetCommand : NftChangeCmdletBase
{
    [Parameter]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily? Family { get; set; }

    protected override void ProcessChange()
    {
        string where = string.IsNullOrEmpty(NetworkNamespace) ? "this network namespace" : $"network namespace '{NetworkNamespace}'";
        Queue(where, "Clear ruleset", (batch, _) => batch.FlushRuleset(Family ?? NftFamily.Unspecified));
    }
}
