using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>add chain: a regular chain, or with -Hook a base chain (type, hook, priority, policy, devices).</summary>
[Cmdlet(VerbsCommon.New, "NftChain", SupportsShouldProcess = true, DefaultParameterSetName = Regular)]
[OutputType(typeof(NftChain))]
public sealed class NewNftChainCommand : NftChangeCmdletBase
{
    public const string Regular = "Regular", Base = "Base";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    [Parameter(ParameterSetName = Base, ValueFromPipelineByPropertyName = true)]
    [ValidateSetOrNull("filter", "nat", "route"), ArgumentCompleter(typeof(ChainTypeCompleter))]
    public string? Type { get; set; } = "filter";

    /// <summary>Null only from a piped regular chain (which then stays regular).</summary>
    [Parameter(Mandatory = true, ParameterSetName = Base, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [ValidateSetOrNull("prerouting", "input", "forward", "output", "postrouting", "ingress", "egress")]
    [ArgumentCompleter(typeof(ChainHookCompleter))]
    public string? Hook { get; set; } = "";

    /// <summary>A number, or a name with an optional offset: "filter", "dstnat", "filter - 10". Default: filter.</summary>
    [Parameter(ParameterSetName = Base, ValueFromPipelineByPropertyName = true)]
    public string? Priority { get; set; } = "filter";

    [Parameter(ParameterSetName = Base, ValueFromPipelineByPropertyName = true)]
    [ValidateSetOrNull("accept", "drop"), ArgumentCompleter(typeof(ChainPolicyCompleter))]
    public string? Policy { get; set; }

    /// <summary>Alias Devices: a chain from Get-NftChain binds its devices by property name.</summary>
    [Parameter(ParameterSetName = Base, ValueFromPipelineByPropertyName = true)]
    [Alias("Devices")]
    public string[]? Device { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Comment { get; set; }

    /// <summary>Fail if the chain exists (nft create).</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>A piped chain is copied: it is created where -NetworkNamespace (or the transaction) says.</summary>
    private protected override string? TemplateKind => "NftChain";

    protected override void ProcessChange()
    {
        if ((ValueChecks.Names(("Table", Table), ("Name", Name)) ?? ValueChecks.Comment(Comment) ?? ValueChecks.Devices(Device)) is { } refused)
        {
            ReportError(refused);
            return;
        }
        var queued = Queue($"chain {Family.ToKeyword()} {Table} {Name}", "Create chain", (batch, _) =>
        {
            ChainHookSpec? hook = null;
            if (ParameterSetName == Base && !string.IsNullOrEmpty(Hook))
            {
                uint number = NftHooks.HookNumber(Family, Hook)
                    ?? throw new ArgumentException($"The {Family.ToKeyword()} family has no '{Hook}' hook.");
                hook = new ChainHookSpec(Type ?? "filter", number, ChainPriority.Parse(Family, Priority ?? "filter"), Device is { Length: > 0 } ? Device : null);
            }
            batch.AddChain(Family, Table, Name, hook, Policy, Comment, create: NoClobber);
        });
        if (PassThru) RequestPassThru(queued, NfTablesMessageType.NewChain, CreatedKind.Chain, Family, Table, Name);
    }
}
