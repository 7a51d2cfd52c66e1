using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>rename chain.</summary>
[Cmdlet(VerbsCommon.Rename, "NftChain", SupportsShouldProcess = true, DefaultParameterSetName = ByObject)]
[OutputType(typeof(NftChain))]
public sealed class RenameNftChainCommand : ChainChangeCommandBase
{
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    public string NewName { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessChange()
    {
        if (ValueChecks.Names(("NewName", NewName)) is { } refused)
        {
            ReportError(refused);
            return;
        }
        if (ResolveChain() is not { } c) return;
        ulong? handle = c.Handle;
        if (handle is null)
        {
            // The kernel renames by handle; look it up.
            var rs = ReadRuleset(new RulesetQuery { Family = c.Family, Table = c.Table, Chain = c.Name, IncludeRules = false,
                IncludeSets = false, IncludeElements = false, IncludeObjects = false, IncludeFlowtables = false });
            if (rs is null) return;
            handle = rs.FindChain(c.Family, c.Table, c.Name)?.Handle;
            if (handle is null)
            {
                ReportError(NftErrors.NotFound("chain", c.Name, $"table {c.Family.ToKeyword()} {c.Table}", NetworkNamespace));
                return;
            }
        }
        var queued = Queue(c.Target, "Rename chain", (batch, _) => batch.RenameChain(c.Family, c.Table, handle.Value, c.Name, NewName));
        if (PassThru) RequestPassThru(queued, NftPS.NfTables.NfTablesMessageType.NewChain, CreatedKind.Chain, c.Family, c.Table, NewName);
    }
}
