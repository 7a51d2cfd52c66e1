using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists named stateful objects: counters, quotas, limits, ct helpers, ct timeouts, ct expectations, synproxies, secmarks.</summary>
[Cmdlet(VerbsCommon.Get, "NftObject", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftNamedObject))]
public sealed class GetNftObjectCommand : NftTableObjectGetCommandBase
{
    [Parameter]
    public NftObjectType[]? Type { get; set; }

    protected override void ProcessRecord() =>
        WriteTableObjects(RulesetSource.Query(Family, NameFilter.Create(Table), objects: true), Family, Table, Name, Handle,
            "object", rs => rs.Objects, obj => Type is null || Type.Contains(obj.Type));
}
