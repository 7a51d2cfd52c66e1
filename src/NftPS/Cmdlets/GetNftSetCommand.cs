using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists named sets and maps (verdict maps and object maps included).</summary>
[Cmdlet(VerbsCommon.Get, "NftSet", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftSet))]
public sealed class GetNftSetCommand : NftCmdletBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }

    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SetNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily? Family { get; set; }

    [Parameter]
    public ulong[]? Handle { get; set; }

    /// <summary>Only maps (-Map) or only sets (-Map:$false).</summary>
    [Parameter]
    public SwitchParameter Map { get; set; }

    /// <summary>Also the anonymous sets the kernel keeps for rules such as `tcp dport { 22, 80 }`.</summary>
    [Parameter]
    public SwitchParameter IncludeAnonymous { get; set; }

    protected override void ProcessRecord()
    {
        var tables = NameFilter.Create(Table);
        var names = NameFilter.Create(Name);
        var ruleset = ReadRuleset(RulesetSource.Query(Family, tables, sets: true));
        if (ruleset is null) return;
        foreach (var table in ruleset.Tables) NameFilter.Matches(tables, table.Name);
        WriteNotFound(tables, "table", Family is NftFamily f ? $"family {f.ToKeyword()}" : null);
        bool mapBound = MyInvocation.BoundParameters.ContainsKey(nameof(Map));
        foreach (var set in ruleset.Sets)
            if ((IncludeAnonymous || !set.IsAnonymous) && (!mapBound || set.IsMap == Map.IsPresent) &&
                NameFilter.Matches(tables, set.Table) && NameFilter.Matches(names, set.Name) &&
                (Handle is null || Handle.Contains(set.Handle)))
                WriteObject(set);
        if (tables?.UnmatchedLiterals.Any() != true) WriteNotFound(names, "set", Table is null ? null : Where("table", Family, Table));
    }
}
