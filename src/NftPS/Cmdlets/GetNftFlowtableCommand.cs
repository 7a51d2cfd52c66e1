using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists flowtables.</summary>
[Cmdlet(VerbsCommon.Get, "NftFlowtable", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftFlowtable))]
public sealed class GetNftFlowtableCommand : NftCmdletBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }

    [Parameter(Position = 1)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily? Family { get; set; }

    [Parameter]
    public ulong[]? Handle { get; set; }

    protected override void ProcessRecord() =>
        WriteTableObjects(RulesetSource.Query(Family, NameFilter.Create(Table), flowtables: true), Family, Table, Name, Handle,
            "flowtable", rs => rs.Flowtables);
}
