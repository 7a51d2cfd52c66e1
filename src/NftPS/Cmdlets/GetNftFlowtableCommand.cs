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
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily? Family { get; set; }

    [Parameter]
    public ulong[]? Handle { get; set; }

    protected override void ProcessRecord()
    {
        var tables = NameFilter.Create(Table);
        var names = NameFilter.Create(Name);
        var ruleset = ReadRuleset(RulesetSource.Query(Family, tables, flowtables: true));
        if (ruleset is null) return;
        foreach (var table in ruleset.Tables) NameFilter.Matches(tables, table.Name);
        WriteNotFound(tables, "table", Family is NftFamily f ? $"family {f.ToKeyword()}" : null);
        foreach (var flowtable in ruleset.Flowtables)
            if (NameFilter.Matches(tables, flowtable.Table) && NameFilter.Matches(names, flowtable.Name) &&
                (Handle is null || Handle.Contains(flowtable.Handle)))
                WriteObject(flowtable);
        if (tables?.UnmatchedLiterals.Any() != true) WriteNotFound(names, "flowtable", Table is null ? null : Where("table", Family, Table));
    }
}
