using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>Changes a base chain's policy (`chain … { policy drop; }`).</summary>
[Cmdlet(VerbsCommon.Set, "NftChain", SupportsShouldProcess = true, DefaultParameterSetName = ByObject)]
[OutputType(typeof(NftChain))]
public sealed class SetNftChainCommand : ChainChangeCommandBase
{
    [Parameter(Mandatory = true)]
    [ValidateSet("accept", "drop")]
    public string Policy { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessChange()
    {
        if (ResolveChain() is not { } c) return;
        var queued = Queue(c.Target, "Set chain policy", (batch, _) => batch.SetChainPolicy(c.Family, c.Table, c.Name, Policy));
        if (PassThru) RequestPassThru(queued, NftPS.NfTables.NfTablesMessageType.NewChain, CreatedKind.Chain, c.Family, c.Table, c.Name);
    }
}
