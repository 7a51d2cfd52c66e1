using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists chains; takes tables from the pipeline (`Get-NftTable | Get-NftChain`).</summary>
[Cmdlet(VerbsCommon.Get, "NftChain", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftChain))]
public sealed class GetNftChainCommand : NftTableObjectGetCommandBase
{
    protected override void ProcessRecord() =>
        WriteTableObjects(RulesetSource.Query(Family, NameFilter.Create(Table), chains: true), Family, Table, Name, Handle,
            "chain", rs => rs.Chains);
}
