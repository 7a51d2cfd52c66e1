using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>replace rule … handle H: the rule keeps its place, its text is replaced.</summary>
[Cmdlet(VerbsCommon.Set, "NftRule", SupportsShouldProcess = true, DefaultParameterSetName = ByObject)]
[OutputType(typeof(NftRule))]
public sealed class SetNftRuleCommand : RuleChangeCommandBase
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Rule { get; set; } = "";

    [Parameter]
    public string? Comment { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessChange()
    {
        if (ResolveRule() is not { } r) return;
        var queued = Queue(r.Target, "Replace rule", (batch, scope) =>
            LanguageAdapter.QueueRule(batch, scope, ReadSets, r.Family, r.Table, r.Chain, Rule, RulePlacement.Append, Comment, r.Handle, WriteWarning));
        if (PassThru) RequestPassThru(queued, NfTablesMessageType.NewRule, CreatedKind.Rule, r.Family, r.Table, r.Chain);
    }
}
