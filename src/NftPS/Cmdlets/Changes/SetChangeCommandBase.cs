using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Changes;

/// <summary>Change cmdlets that act on an existing set or map, given as an object (Get-NftSet) or by name.</summary>
public abstract class SetChangeCommandBase : NftChangeCmdletBase
{
    public const string ByName = "ByName", ByObject = "ByObject";

    [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
    public NftSet InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SetNameCompleter))]
    [Alias("Set", "Map")]
    public string Name { get; set; } = "";

    [Parameter(ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    private protected (NftFamily Family, string Table, string Name, bool IsMap, object Target)? ResolveSet()
    {
        if (ParameterSetName == ByObject)
        {
            if (!CheckOrigin(InputObject)) return null;
            return (InputObject.Family, InputObject.Table, InputObject.Name, InputObject.IsMap, InputObject);
        }
        return (Family, Table, Name, false, $"set {Family.ToKeyword()} {Table} {Name}");
    }
}
