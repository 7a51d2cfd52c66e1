using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Expressions.Xtables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

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

    /// <summary>Refuses (and reports) a change to a rule that iptables-nft, ip6tables-nft, ebtables-nft or arptables-nft
    /// wrote: its xt expressions are that tool's to change, and nft text cannot express them. True when refused.</summary>
    private protected bool RefuseXtablesRule((NftFamily Family, string Table, string Chain, ulong Handle, object Target) r, string verb)
    {
        var rule = r.Target as NftRule is { } given && (given.Expressions.Count > 0 || given.RawExpressions.Length > 0)
            ? given
            : ReadRuleset(new RulesetQuery
            {
                Family = r.Family, Table = r.Table, Chain = r.Chain, IncludeTables = false, IncludeChains = false, IncludeRules = true,
                IncludeSets = false, IncludeElements = false, IncludeObjects = false, IncludeFlowtables = false, DescribeRules = false,
            })?.Rules.FirstOrDefault(x => x.Family == r.Family && x.Table == r.Table && x.Chain == r.Chain && x.Handle == r.Handle);
        if (rule is null || XtablesOwnership.OwnerTool(rule) is not { } tool) return false;
        ReportError(new ErrorRecord(new InvalidOperationException(
                $"Rule handle {r.Handle} in {r.Family.ToKeyword()} {r.Table} {r.Chain} was written by {tool} (it holds xtables match/target "
                + $"expressions, which nft text cannot express); NftPS does not {verb} it. Change it with {tool}."),
            "NftRuleOwnedByXtables", ErrorCategory.PermissionDenied, r.Target));
        return true;
    }
}
