using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists named stateful objects: counters, quotas, limits, ct helpers, ct timeouts, ct expectations, synproxies, secmarks.</summary>
[Cmdlet(VerbsCommon.Get, "NftObject", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftNamedObject))]
public sealed class GetNftObjectCommand : NftCmdletBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }

    [Parameter(Position = 1)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter]
    public NftObjectType[]? Type { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily? Family { get; set; }

    [Parameter]
    public ulong[]? Handle { get; set; }

    protected override void ProcessRecord()
    {
        var tables = NameFilter.Create(Table);
        var names = NameFilter.Create(Name);
        var ruleset = ReadRuleset(RulesetSource.Query(Family, tables, objects: true));
        if (ruleset is null) return;
        foreach (var table in ruleset.Tables) NameFilter.Matches(tables, table.Name);
        WriteNotFound(tables, "table", Family is NftFamily f ? $"family {f.ToKeyword()}" : null);
        foreach (var obj in ruleset.Objects)
            if ((Type is null || Type.Contains(obj.Type)) && NameFilter.Matches(tables, obj.Table) &&
                NameFilter.Matches(names, obj.Name) && (Handle is null || Handle.Contains(obj.Handle)))
                WriteObject(obj);
        if (tables?.UnmatchedLiterals.Any() != true) WriteNotFound(names, "object", Table is null ? null : Where("table", Family, Table));
    }
}
