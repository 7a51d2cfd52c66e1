using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists flowtables.</summary>
[Cmdlet(VerbsCommon.Get, "NftFlowtable", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftFlowtable))]
public sealed class GetNftFlowtableCommand : NftTableObjectGetCommandBase
{
    protected override void ProcessRecord() =>
        WriteTableObjects(RulesetSource.Query(Family, NameFilter.Create(Table), flowtables: true), Family, Table, Name, Handle,
            "flowtable", rs => rs.Flowtables);
}
