using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>Moves a rule before or after another rule of its chain, or to its head or end. The kernel cannot move a
/// rule, so the move is one batch: the same rule inserted at its new place (as nft lists it, so its comment, counter
/// values and quota usage come along) and the old handle deleted. Either both happen or neither does; the moved rule
/// has a new handle.</summary>
[Cmdlet(VerbsCommon.Move, "NftRule", SupportsShouldProcess = true, DefaultParameterSetName = ByObject)]
[OutputType(typeof(NftRule))]
public sealed class MoveNftRuleCommand : RuleChangeCommandBase
{
    /// <summary>Before the rule with this handle (a rule from Get-NftRule gives its Handle).</summary>
    [Parameter]
    [RuleHandleTransformation]
    public ulong? Before { get; set; }

    /// <summary>After the rule with this handle (a rule from Get-NftRule gives its Handle).</summary>
    [Parameter]
    [RuleHandleTransformation]
    public ulong? After { get; set; }

    /// <summary>First: the head of the chain; Last: its end.</summary>
    [Parameter]
    [ValidateSet("First", "Last")]
    public string? Position { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        int given = (MyInvocation.BoundParameters.ContainsKey(nameof(Before)) ? 1 : 0) + (MyInvocation.BoundParameters.ContainsKey(nameof(After)) ? 1 : 0) +
                    (MyInvocation.BoundParameters.ContainsKey(nameof(Position)) ? 1 : 0);
        if (given != 1)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Say where the rule goes with exactly one of -Before, -After and -Position."),
                "NftRulePlacementConflict", ErrorCategory.InvalidArgument, null));
        base.BeginProcessing();
    }

    protected override void ProcessChange()
    {
        if (ResolveRule() is not { } r) return;
        string chainText = $"chain {r.Family.ToKeyword()} {r.Table} {r.Chain}";
        // The rule as the kernel holds it now: an object from the pipeline may be stale, and by handle there is nothing else.
        var rules = ReadRuleset(new RulesetQuery
        {
            Family = r.Family, Table = r.Table, Chain = r.Chain, IncludeTables = false, IncludeChains = false, IncludeRules = true,
            IncludeSets = false, IncludeElements = false, IncludeObjects = false, IncludeFlowtables = false,
        })?.Rules.Where(x => x.Family == r.Family && x.Table == r.Table && x.Chain == r.Chain).ToList();
        if (rules is null) return;
        var rule = rules.FirstOrDefault(x => x.Handle == r.Handle);
        if (rule is null)
        {
            ReportError(NotFound($"There is no rule with handle {r.Handle} in {chainText}; nothing was moved.", r.Target));
            return;
        }
        if (RefuseXtablesRule((r.Family, r.Table, r.Chain, r.Handle, rule), "move")) return;
        if (rule.HasUndecodedExpressions)
        {
            ReportError(new ErrorRecord(new InvalidOperationException(
                    $"Rule handle {r.Handle} in {chainText} holds expressions NftPS cannot write back as nft text ({rule.Text}); it was not moved."),
                "NftRuleNotMovable", ErrorCategory.InvalidOperation, r.Target));
            return;
        }
        ulong? anchor = Before ?? After;
        if (anchor is { } a)
        {
            if (a == r.Handle)
            {
                ReportError(new ErrorRecord(new ArgumentException($"Rule handle {a} cannot be moved {(Before is not null ? "before" : "after")} itself."),
                    "NftRuleMoveToItself", ErrorCategory.InvalidArgument, r.Target));
                return;
            }
            if (rules.All(x => x.Handle != a))
            {
                ReportError(NotFound($"There is no rule with handle {a} in {chainText} to move rule handle {r.Handle} {(Before is not null ? "before" : "after")}; nothing was moved.", r.Target));
                return;
            }
        }
        var placement = Before is { } b ? new RulePlacement(Insert: true, Handle: b)
            : After is { } after ? new RulePlacement(Insert: false, Handle: after)
            : Position == "First" ? RulePlacement.Prepend : RulePlacement.Append;
        var queued = Queue(r.Target, "Move rule", (batch, scope) =>
        {
            // Text, not StatelessText: the new rule starts with the counter values and quota usage the old one had.
            LanguageAdapter.QueueRule(batch, scope, ReadSets, r.Family, r.Table, r.Chain, rule.Text, placement, rule.Comment,
                replaceHandle: null, WriteWarning);
            batch.DeleteRule(r.Family, r.Table, r.Chain, r.Handle);
        });
        if (PassThru) RequestPassThru(queued, NfTablesMessageType.NewRule, CreatedKind.Rule, r.Family, r.Table, r.Chain);
    }

    private static ErrorRecord NotFound(string message, object target) =>
        new(new ItemNotFoundException(message), "NftRuleNotFound", ErrorCategory.ObjectNotFound, target);
}

/// <summary>-Before/-After of Move-NftRule take a handle, or a rule (live or deserialized) whose Handle is used.</summary>
internal sealed class RuleHandleTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = inputData is PSObject p ? p.BaseObject : inputData;
        if (value is NftRule rule) return rule.Handle;
        if (inputData is PSObject o && InputOrigin.IsModelObject(o, "NftRule") && o.Properties["Handle"]?.Value is { } h) return h;
        return inputData;
    }
}
