using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists chains; takes tables from the pipeline (`Get-NftTable | Get-NftChain`).</summary>
[Cmdlet(VerbsCommon.Get, "NftChain", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftChain))]
public sealed class GetNftChainCommand : NftCmdletBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }

    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
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
        var ruleset = ReadRuleset(RulesetSource.Query(Family, tables, chains: true));
        if (ruleset is null) return;
        foreach (var table in ruleset.Tables) NameFilter.Matches(tables, table.Name);
        WriteNotFound(tables, "table", Family is NftFamily f ? $"family {f.ToKeyword()}" : null);
        foreach (var chain in ruleset.Chains)
            if (NameFilter.Matches(tables, chain.Table) && NameFilter.Matches(names, chain.Name) &&
                (Handle is null || Handle.Contains(chain.Handle)))
                WriteObject(chain);
        if (tables?.UnmatchedLiterals.Any() != true) WriteNotFound(names, "chain", Table is null ? null : Where("table", Family, Table));
    }
}
