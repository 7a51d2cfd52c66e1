using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>add table: creates a table (an existing one with the same name is left as it is, like nft add).</summary>
[Cmdlet(VerbsCommon.New, "NftTable", SupportsShouldProcess = true, DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftTable))]
public sealed class NewNftTableCommand : NftChangeCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>ip when omitted, as in nft.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Comment { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter Dormant { get; set; }

    /// <summary>Fail if the table exists (nft create).</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>A piped table is copied: it is created where -NetworkNamespace (or the transaction) says.</summary>
    private protected override string? TemplateKind => "NftTable";

    protected override void ProcessChange()
    {
        if ((ValueChecks.Names(("Name", Name)) ?? ValueChecks.Comment(Comment)) is { } refused)
        {
            ReportError(refused);
            return;
        }
        var queued = Queue(Name, "Create table", (batch, _) =>
            batch.AddTable(Family, Name, Dormant ? 1u : 0u, Comment, create: NoClobber));
        if (PassThru) RequestPassThru(queued, NfTablesMessageType.NewTable, CreatedKind.Table, Family, Name, Name);
    }
}
