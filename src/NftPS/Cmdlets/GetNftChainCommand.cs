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
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily? Family { get; set; }

    [Parameter]
    public ulong[]? Handle { get; set; }

    protected override void ProcessRecord() =>
        WriteTableObjects(RulesetSource.Query(Family, NameFilter.Create(Table), chains: true), Family, Table, Name, Handle,
            "chain", rs => rs.Chains);
}
