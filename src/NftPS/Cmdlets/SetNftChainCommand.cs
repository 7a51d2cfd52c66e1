using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables.Model;
using NftPS.NfTables.Rollback;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>Changes a base chain's policy (`chain … { policy drop; }`). Drop on an input or forward chain of the family
/// carrying the caller's connection is treated as ConfirmImpact High, with a warning naming the SSH connection.</summary>
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
        if (Policy.Equals("drop", StringComparison.OrdinalIgnoreCase))
        {
            // The chain's rules (with their anonymous sets) tell which accept, if any, lets the caller's connection through.
            var read = TryReadForLockoutCheck(new NftPS.NfTables.Reading.RulesetQuery
            {
                Family = c.Family, Table = c.Table, Chain = c.Name, IncludeRules = true, IncludeSets = true, IncludeElements = true,
                IncludeObjects = false, IncludeFlowtables = false,
            });
            var chain = ParameterSetName == ByObject ? InputObject : read?.FindChain(c.Family, c.Table, c.Name);
            if (chain is not null && !ConfirmLockoutRisk(LockoutRisk.OfPolicy(chain, Policy, SshConnection.FromEnvironment(), read?.Rules))) return;
        }
        var queued = Queue(c.Target, "Set chain policy", (batch, _) => batch.SetChainPolicy(c.Family, c.Table, c.Name, Policy));
        if (PassThru) RequestPassThru(queued, NftPS.NfTables.NfTablesMessageType.NewChain, CreatedKind.Chain, c.Family, c.Table, c.Name);
    }
}
