using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>flush chain: deletes every rule of the chain.</summary>
[Cmdlet(VerbsCommon.Clear, "NftChain", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByObject)]
[OutputType(typeof(void))]
public sealed class ClearNftChainCommand : ChainChangeCommandBase
{
    protected override void ProcessChange()
    {
        if (ResolveChain() is not { } c) return;
        Queue(c.Target, "Clear chain", (batch, _) => batch.FlushChain(c.Family, c.Table, c.Name));
    }
}
