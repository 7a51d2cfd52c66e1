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

    /// <summary>Replaces the rule's comment; omitted, the comment stays (unless -Rule carries one of its own).</summary>
    [Parameter]
    public string? Comment { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessChange()
    {
        if (ResolveRule() is not { } r) return;
        if (RefuseXtablesRule(r, "replace")) return;
        // Set-* changes only what it is given: replacing the rule in the kernel would drop a comment -Rule does not repeat.
        string? kept = Comment is null ? CurrentComment(r.Family, r.Table, r.Chain, r.Handle) : null;
        NftRule? compiled = null;
        var queued = Queue(r.Target, "Replace rule", (batch, scope) =>
            LanguageAdapter.QueueRule(batch, scope, ReadSets, r.Family, r.Table, r.Chain, Rule, RulePlacement.Append, Comment, r.Handle, WriteWarning,
                keptComment: kept, compiledRule: x => compiled = x), guard: scope => GuardRule(scope, compiled, rules => RulesBefore(rules, r.Handle, including: false)));
        if (PassThru) RequestPassThru(queued, NfTablesMessageType.NewRule, CreatedKind.Rule, r.Family, r.Table, r.Chain);
    }

    /// <summary>The comment the rule has in the kernel now (null when it has none or cannot be read: the kernel then
    /// reports the missing rule itself when the replacement is sent).</summary>
    private string? CurrentComment(NftFamily family, string table, string chain, ulong handle) =>
        ReadRuleset(new NftPS.NfTables.Reading.RulesetQuery
        {
            Family = family, Table = table, Chain = chain, IncludeTables = false, IncludeChains = false, IncludeRules = true,
            IncludeSets = false, IncludeElements = false, IncludeObjects = false, IncludeFlowtables = false, DescribeRules = false,
        })?.Rules.FirstOrDefault(x => x.Handle == handle && x.Chain == chain && x.Table == table)?.Comment;
}
