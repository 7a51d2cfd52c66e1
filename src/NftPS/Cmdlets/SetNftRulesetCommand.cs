using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.Cmdlets.Convergence;
using NftPS.DesiredState;
using NftPS.Language.Evaluate;
using NftPS.NfTables;
using NftPS.NfTables.Transactions;

namespace NftPS.Cmdlets;

/// <summary>Converges a namespace's ruleset to a desired state with the smallest change: the operations of the
/// comparison, sent as one atomic transaction checked against the generation the comparison read, so a concurrent
/// change is a conflict and never half-applied. Nothing is sent when there is no difference. Tables the desired state
/// does not name are never read or changed.</summary>
[Cmdlet(VerbsCommon.Set, "NftRuleset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
[OutputType(typeof(NftDifference), typeof(NftPendingChange))]
public sealed class SetNftRulesetCommand : DesiredStateCmdletBase
{
    /// <summary>Emit the differences applied (after the commit).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>When the ruleset changed between the read and the commit, read and compare again and retry.</summary>
    [Parameter]
    public SwitchParameter RetryOnConflict { get; set; }

    /// <summary>How many times -RetryOnConflict compares and sends again.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>Arm a rollback of the managed tables the change touches: restored by a detached agent unless
    /// Confirm-NftChange keeps the change in time (see Import-NftRuleset). Inside Invoke-NftTransaction the
    /// transaction's own -ConfirmWithin applies.</summary>
    [Parameter]
    [Lockout.ConfirmWindow]
    public TimeSpan? ConfirmWithin { get; set; }

    /// <summary>Skip the extra confirmation a high-impact change (a table or chain removed, a drop policy) asks for.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private protected override void ProcessDesiredState(string source)
    {
        RefuseOtherNamespaceInTransaction();
        var ambient = AmbientTransactions.For(NetworkNamespace);
        var desired = Compile(ambient?.Ids ?? new BatchIds(), source);
        if (desired is null)
        {
            Doom(ambient, $"the desired state in {source} could not be compiled");
            return;
        }
        for (int attempt = 0; ; attempt++)
        {
            var comparison = CompareWithHost(desired, source);
            if (comparison is null)
            {
                Doom(ambient, $"the ruleset could not be compared with {source}");
                return;
            }
            if (comparison.InDesiredState)
            {
                WriteVerbose($"Already in the desired state ({source}, {comparison.ManagedTables.Count} managed table(s), generation {comparison.Generation}); nothing was sent.");
                return;
            }
            if (ambient is not null)
            {
                JoinTransaction(ambient, comparison, source);
                return;
            }
            var outcome = CommitOwn(comparison, source, attempt);
            if (outcome != CommitOutcome.Conflict || !RetryOnConflict || attempt >= MaxRetries) return;
            WriteVerbose($"The ruleset changed after it was read; comparing again ({attempt + 1} of {MaxRetries}).");
        }
    }

    private CommitOutcome CommitOwn(RulesetComparison comparison, string source, int attempt)
    {
        var scope = new ChangeScope(NetworkNamespace, new NftTransaction(comparison.Generation), ambient: false) { ConfirmWithin = ConfirmWithin };
        if (!Stage(scope.Transaction, comparison, source)) return CommitOutcome.Refused;
        if (!Confirm(comparison, scope.Transaction)) return CommitOutcome.Committed;
        bool last = !RetryOnConflict || attempt >= MaxRetries;
        WriteVerbose($"Sending {scope.Transaction.Count} operation(s) for {comparison.Differences.Count} difference(s), checked against generation {comparison.Generation}.");
        var outcome = NftChangeCmdletBase.Commit(this, scope, checkOnly: false, Cancellation, reportConflict: false);
        switch (outcome)
        {
            case CommitOutcome.Committed:
                WriteVerbose($"Applied {comparison.Differences.Count} difference(s) as {scope.Transaction.Count} operation(s).");
                if (PassThru) foreach (var difference in comparison.Differences) WriteObject(difference);
                break;
            case CommitOutcome.Conflict when last:
                WriteError(Conflict(comparison, source));
                break;
        }
        return outcome;
    }

    /// <summary>Inside Invoke-NftTransaction the operations join its batch, which commits checked against the
    /// generation read when the block began. That check covers the comparison only when it read that same generation
    /// and nothing queued earlier in the block touches a managed table (the comparison could not see it); otherwise
    /// the transaction is refused, never committed on a stale comparison.</summary>
    private void JoinTransaction(ChangeScope ambient, RulesetComparison comparison, string source)
    {
        string? refusal = null;
        if (ambient.Transaction.Generation != 0 && ambient.Transaction.Generation != comparison.Generation)
            refusal = $"the ruleset changed after the transaction began (generation {ambient.Transaction.Generation}, now {comparison.Generation}), so its commit would be checked against another ruleset than the one compared";
        else if (ambient.Transaction.Operations.Any(o => OperationScope.Touches(o, comparison.ManagedTables)))
            refusal = "changes queued earlier in the transaction touch the tables the desired state manages, and the comparison cannot see them; run Set-NftRuleset first in the block";
        if (refusal is not null)
        {
            string message = $"Set-NftRuleset cannot join this transaction: {refusal}. Nothing of the transaction was applied.";
            ambient.Doomed ??= message;
            WriteError(new ErrorRecord(new InvalidOperationException(message), "NftDesiredStateTransactionStale",
                ErrorCategory.ResourceBusy, source) { ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Run the transaction again." } });
            return;
        }
        if (!ambient.WhatIf && !ShouldProcess(string.Join(Environment.NewLine, comparison.Differences.SelectMany(d => d.Commands)),
                $"Converge {comparison.Differences.Count} difference(s) in {Tables(comparison)}"))
            return;
        if (!Stage(ambient.Transaction, comparison, source))
        {
            Doom(ambient, $"the operations for {source} could not be queued");
            return;
        }
        if (PassThru) foreach (var difference in comparison.Differences) WriteObject(difference);
    }

    /// <summary>Queues the comparison's operations in its batch order, each remembering the difference it removes
    /// (what a kernel refusal names).</summary>
    private bool Stage(NftTransaction transaction, RulesetComparison comparison, string source)
    {
        var owner = new Dictionary<NftPS.NfTables.Operations.NftOperation, NftDifference>(ReferenceEqualityComparer.Instance);
        foreach (var difference in comparison.Differences)
            foreach (var op in difference.Operations) owner.TryAdd(op, difference);
        var staged = new List<(NftBatch, object?)>();
        var ok = Guard(() =>
        {
            foreach (var op in comparison.Operations)
            {
                var batch = new NftBatch();
                batch.Add(op);
                staged.Add((batch, owner.TryGetValue(op, out var d) ? d : source));
            }
            return staged;
        }, source);
        if (ok is null) return false;
        foreach (var (batch, target) in staged) transaction.Append(batch, target);
        return true;
    }

    /// <summary>One question for the whole change (it lands whole or not at all), showing every nft command. A
    /// high-impact change also asks as a ConfirmImpact High command would, unless -Force or -Confirm:$false.</summary>
    private bool Confirm(RulesetComparison comparison, NftTransaction transaction)
    {
        string action = $"Converge {comparison.Differences.Count} difference(s) in {Tables(comparison)}";
        if (!ShouldProcess(transaction.ToString(), action)) return false;
        if (Force || !comparison.Operations.Any(OperationScope.IsHighImpact) || !HighImpactPrompted()) return true;
        string question = $"This change removes tables or chains, or sets a drop policy, in {Tables(comparison)}:{Environment.NewLine}{transaction}";
        try
        {
            return ShouldContinue(question, "Confirm high-impact ruleset change");
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or System.Management.Automation.Host.HostException)
        {
            // A host that cannot ask (pwsh -NonInteractive, a service) must not get a lockout-prone change unasked.
            string message = $"This change removes tables or chains, or sets a drop policy, in {Tables(comparison)}, and this PowerShell cannot ask to " +
                             "confirm it; nothing was changed. Give -Force or -Confirm:$false to apply it unattended.";
            WriteError(new ErrorRecord(new InvalidOperationException(message, ex), "NftDesiredStateConfirmationRequired",
                ErrorCategory.PermissionDenied, transaction.ToString()) { ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Add -Force or -Confirm:$false." } });
            return false;
        }
    }

    /// <summary>Whether $ConfirmPreference (and no -Confirm:$false) asks to confirm a High impact command.</summary>
    private bool HighImpactPrompted()
    {
        if (MyInvocation.BoundParameters.ContainsKey("Confirm")) return false; // -Confirm asked already; -Confirm:$false said no
        var preference = GetVariableValue("ConfirmPreference") is { } v && LanguagePrimitives.TryConvertTo(v, out ConfirmImpact p) ? p : ConfirmImpact.High;
        return preference != ConfirmImpact.None && preference <= ConfirmImpact.High;
    }

    private static string Tables(RulesetComparison comparison) =>
        string.Join(", ", comparison.ManagedTables.Select(t => $"table {t.Family.ToKeyword()} {t.Table}"));

    private ErrorRecord Conflict(RulesetComparison comparison, string source)
    {
        uint? now = null;
        try { now = ConnectionCache.Use(NetworkNamespace, c => c.GetGeneration(Cancellation)); }
        catch (Exception ex) when (ex is not OperationCanceledException) { }
        var conflict = new NftConflictException(comparison.Generation, now, NetworkNamespace);
        return new ErrorRecord(conflict, "NftTransactionConflict", ErrorCategory.ResourceBusy, source)
        {
            ErrorDetails = new ErrorDetails($"The ruleset changed after it was compared with {source}; nothing was applied. {conflict.Message}")
            {
                RecommendedAction = "Run Set-NftRuleset again, or add -RetryOnConflict to compare again and retry.",
            },
        };
    }

    private void Doom(ChangeScope? ambient, string why)
    {
        if (ambient is not null) ambient.Doomed ??= $"Set-NftRuleset: {why}";
    }
}
