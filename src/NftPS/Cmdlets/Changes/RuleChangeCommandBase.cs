using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Changes;

/// <summary>Change cmdlets that act on one existing rule, given as an object (Get-NftRule) or by handle.</summary>
public abstract class RuleChangeCommandBase : NftChangeCmdletBase
{
    public const string ByHandle = "ByHandle", ByObject = "ByObject";

    [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
    public NftRule InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByHandle, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByHandle, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public string Chain { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ByHandle, ValueFromPipelineByPropertyName = true)]
    public ulong Handle { get; set; }

    [Parameter(ParameterSetName = ByHandle, ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    private protected (NftFamily Family, string Table, string Chain, ulong Handle, object Target)? ResolveRule()
    {
        if (ParameterSetName == ByObject)
        {
            if (!CheckOrigin(InputObject)) return null;
            return (InputObject.Family, InputObject.Table, InputObject.Chain, InputObject.Handle, InputObject);
        }
        return (Family, Table, Chain, Handle, $"rule {Family.ToKeyword()} {Table} {Chain} handle {Handle}");
    }
}
