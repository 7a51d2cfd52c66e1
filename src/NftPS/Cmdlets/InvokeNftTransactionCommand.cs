using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables.Transactions;

namespace NftPS.Cmdlets;

/// <summary>Runs a script block in which every change cmdlet queues into one netlink batch, committed when the
/// block ends: all of it lands or none. The commit is checked against the generation read at the start.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "NftTransaction", SupportsShouldProcess = true, DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(object), typeof(NftPendingChange))]
public sealed class InvokeNftTransactionCommand : NftCmdletBase
{
    [Parameter(Mandatory = true, Position = 0)]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    /// <summary>When someone else changed the ruleset meanwhile, run the block again on the new ruleset.</summary>
    [Parameter]
    public SwitchParameter RetryOnConflict { get; set; }

    [Parameter]
    [ValidateRange(1, 1000)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>Have the kernel check the whole batch without applying it (what nft -c does).</summary>
    [Parameter]
    public SwitchParameter Validate { get; set; }

    /// <summary>Arm a rollback of the tables the transaction touches: unless Confirm-NftChange keeps the change within
    /// this time, a detached agent restores them. Returns the pending change.</summary>
    [Parameter]
    [Lockout.ConfirmWindow]
    public TimeSpan? ConfirmWithin { get; set; }

    protected override void EndProcessing()
    {
        if (!ResolveNamespace()) return;
        if (AmbientTransactions.Innermost is not null)
        {
            // Nested: the outer transaction already collects everything, and it changes one namespace only.
            RefuseOtherNamespaceInTransaction();
            foreach (var o in ScriptBlock.Invoke()) WriteObject(o);
            return;
        }
        bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent;
        for (int attempt = 0; ; attempt++)
        {
            var outcome = RunOnce(whatIf, attempt);
            if (outcome != CommitOutcome.Conflict) return;
            if (!RetryOnConflict || attempt >= MaxRetries) return;
            WriteVerbose($"The ruleset changed before the commit; running the transaction again ({attempt + 1} of {MaxRetries}).");
        }
    }

    private CommitOutcome RunOnce(bool whatIf, int attempt)
    {
        ChangeScope scope;
        try
        {
            uint generation = ConnectionCache.Use(NetworkNamespace, c => c.GetGeneration(Cancellation));
            scope = new ChangeScope(NetworkNamespace, new NftTransaction(generation), ambient: true) { WhatIf = whatIf, ConfirmWithin = ConfirmWithin };
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteError(NftErrors.FromException(ex, NetworkNamespace));
            return CommitOutcome.Refused;
        }

        AmbientTransactions.Push(scope);
        try
        {
            foreach (var o in ScriptBlock.Invoke()) WriteObject(o);
        }
        catch (RuntimeException ex) when (ex is not PipelineStoppedException)
        {
            var inner = ex.ErrorRecord;
            WriteError(new ErrorRecord(new InvalidOperationException(
                    $"The transaction's script block failed, so none of its {scope.Transaction.Count} queued operations was applied: {ex.Message}", ex),
                "NftTransactionAborted", ErrorCategory.OperationStopped, inner?.TargetObject));
            return CommitOutcome.Refused;
        }
        finally
        {
            AmbientTransactions.Pop(scope);
        }

        if (scope.Doomed is { } reason)
        {
            WriteError(new ErrorRecord(new InvalidOperationException(
                    $"A change in the transaction failed, so none of its {scope.Transaction.Count} queued operations was applied: {reason}"),
                "NftTransactionAborted", ErrorCategory.OperationStopped, scope.Transaction.ToString()));
            return CommitOutcome.Refused;
        }
        int count = scope.Transaction.Count;
        if (count == 0) return CommitOutcome.Committed;
        string action = Validate ? $"Validate {count} operation(s)" : $"Commit {count} operation(s)";
        if (!ShouldProcess(scope.Transaction.ToString(), action)) return CommitOutcome.Committed;
        var outcome = NftChangeCmdletBase.Commit(this, scope, Validate, Cancellation,
            reportConflict: !RetryOnConflict || attempt >= MaxRetries);
        if (outcome == CommitOutcome.Committed)
            WriteVerbose(Validate ? $"The kernel accepts all {count} operation(s); nothing was applied." : $"Committed {count} operation(s).");
        return outcome;
    }
}
