using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>delete chain (it must be empty and unreferenced, as in nft).</summary>
[Cmdlet(VerbsCommon.Remove, "NftChain", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
[OutputType(typeof(void))]
public sealed class RemoveNftChainCommand : ChainChangeCommandBase
{
    /// <summary>No error when the chain does not exist (nft destroy).</summary>
    [Parameter]
    public SwitchParameter IgnoreMissing { get; set; }

    protected override void ProcessChange()
    {
        if (ResolveChain() is not { } c) return;
        Queue(c.Target, "Remove chain", (batch, _) => batch.DeleteChain(c.Family, c.Table, c.Name, destroy: IgnoreMissing));
    }
}
