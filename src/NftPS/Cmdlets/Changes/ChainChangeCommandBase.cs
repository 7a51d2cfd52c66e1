using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Changes;

/// <summary>Change cmdlets that act on an existing chain, given as an object (Get-NftChain) or by name.</summary>
public abstract class ChainChangeCommandBase : NftChangeCmdletBase
{
    public const string ByName = "ByName", ByObject = "ByObject";

    [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
    public NftChain InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    [Alias("Chain")]
    public string Name { get; set; } = "";

    [Parameter(ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    /// <summary>The chain to act on (family, table, name, handle when known), or null when it was refused.</summary>
    private protected (NftFamily Family, string Table, string Name, ulong? Handle, object Target)? ResolveChain()
    {
        if (ParameterSetName == ByObject)
        {
            if (!CheckOrigin(InputObject)) return null;
            return (InputObject.Family, InputObject.Table, InputObject.Name, InputObject.Handle, InputObject);
        }
        return (Family, Table, Name, null, $"chain {Family.ToKeyword()} {Table} {Name}");
    }
}
