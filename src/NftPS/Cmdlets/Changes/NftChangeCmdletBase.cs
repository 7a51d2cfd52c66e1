using System.Management.Automation;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Transactions;

namespace NftPS.Cmdlets.Changes;

/// <summary>What every change cmdlet shares. Each invocation is one transaction (a whole pipeline of input lands
/// together or not at all) unless Invoke-NftTransaction has one open for the namespace, which it then joins.
/// Changes are shown for -WhatIf/-Confirm as the nft commands they are, one ShouldProcess per input object.</summary>
public abstract partial class NftChangeCmdletBase : NftCmdletBase
{
    private ChangeScope? _own;
    private ProgressReporter? _progress;

    /// <summary>This invocation's progress bar (appears only when the work runs longer than about a second).</summary>
    private protected ProgressReporter Progress => _progress ??= new ProgressReporter(this, MyInvocation.MyCommand?.Name ?? GetType().Name);

    protected sealed override void ProcessRecord()
    {
        if (!InputFromThisHost() || !ResolveNamespace()) return;
        RefuseOtherNamespaceInTransaction();
        ProcessChange();
    }

    private protected override void RefuseInput(ErrorRecord record) => ReportError(record);

    /// <summary>The confirmation window of a cmdlet that has -ConfirmWithin (null: none). A cmdlet adds the parameter
    /// (see <see cref="NftPendingChange"/>) and overrides this; its own transaction is then committed with a rollback
    /// armed. Inside Invoke-NftTransaction the transaction's own -ConfirmWithin applies instead.</summary>
    private protected virtual TimeSpan? ConfirmWindow => null;

    /// <summary>A change that can cut the caller off (<paramref name="risk"/> says how) is treated as ConfirmImpact High:
    /// warned about always, and confirmed unless -Confirm or -WhatIf decides (or $ConfirmPreference is None), or a
    /// rollback is armed (-ConfirmWithin on the enclosing transaction). Returns whether to go on.</summary>
    private protected bool ConfirmLockoutRisk(string? risk)
    {
        if (risk is null) return true;
        if (AmbientTransactions.For(NetworkNamespace)?.ConfirmWithin is not null) return true;
        WriteWarning("Possible lockout: " + risk);
        var bound = MyInvocation.BoundParameters;
        if (bound.ContainsKey("Confirm") || bound.ContainsKey("WhatIf")) return true;
        if (SessionState.PSVariable.GetValue("ConfirmPreference") is ConfirmImpact.None) return true;
        return ShouldContinue(risk + " Apply it anyway?", "Possible lockout");
    }

    /// <summary>What a lockout check reads: the ruleset part <paramref name="query"/> names, or null when it cannot be
    /// read (the change itself then reports the problem).</summary>
    private protected NftRuleset? TryReadForLockoutCheck(RulesetQuery query)
    {
        try { return ConnectionCache.Use(NetworkNamespace, b => RulesetSource.Read(b, query, Cancellation)); }
        catch (Exception ex) when (ex is not PipelineStoppedException and not OperationCanceledException) { return null; }
    }

    /// <summary>Import-NftRuleset -Validate: the kernel checks the batch and applies nothing.</summary>
    private protected virtual bool CheckOnly => false;

    /// <summary>Resolves one input and queues its change with <see cref="Queue"/>.</summary>
    protected abstract void ProcessChange();

    /// <summary>Queues what was buffered across inputs (elements) before the commit.</summary>
    protected virtual void EndChange() { }

    protected override void EndProcessing()
    {
        EndChange();
        CommitOwn();
        _progress?.Complete();
    }

    /// <summary>The transaction this input's change goes into.</summary>
    private protected ChangeScope CurrentScope()
    {
        if (AmbientTransactions.For(NetworkNamespace) is { } ambient) return ambient;
        if (_own is not null && NamespaceKey.Of(_own.NetworkNamespace) != NamespaceKey.Of(NetworkNamespace))
            CommitOwn(); // pipeline input from another namespace: that one's changes go as their own batch
        if (_own is null)
        {
            string? ns = NetworkNamespace;
            uint generation = ConnectionCache.Use(ns, c => c.GetGeneration(Cancellation));
            _own = new ChangeScope(ns, new NftTransaction(generation), ambient: false);
        }
        return _own;
    }

    /// <summary>Commits this invocation's own transaction now (end of input, or input for another namespace).</summary>
    private protected void CommitOwn()
    {
        var scope = _own;
        _own = null;
        if (scope is null || scope.Transaction.Count == 0) return;
        Progress.Phase($"{(CheckOnly ? "Validating" : "Committing")} {scope.Transaction.Count:N0} messages");
        scope.ConfirmWithin = ConfirmWindow;
        Commit(this, scope, checkOnly: CheckOnly, Cancellation);
    }

    /// <summary>Drops this invocation's own transaction unsent: part of its input was refused, and a pipeline lands
    /// whole or not at all.</summary>
    private protected void DiscardOwn() => _own = null;

    /// <summary>Builds the change on a scratch batch, asks ShouldProcess with its nft text, then queues it.
    /// Returns the queued operations, or null when declined or when building failed (the error is written).
    /// <paramref name="guard"/>, when given, runs after building and before ShouldProcess (a lockout check on what
    /// was built); false drops the change unqueued.</summary>
    private protected IReadOnlyList<BatchOperation>? Queue(object target, string action, Action<NftBatch, ChangeScope> build,
        string? shown = null, Func<ChangeScope, bool>? guard = null)
    {
        ChangeScope scope;
        var staged = new NftBatch();
        try
        {
            scope = CurrentScope();
            build(staged, scope);
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is NftLanguageException or NftPS.Language.Json.NftJsonException or ArgumentException or FormatException or InvalidOperationException
                                       or NftPS.Netlink.NetlinkException or NftPS.Netlink.NetworkNamespaceNotFoundException or IOException)
        {
            ReportError(ex is ArgumentException or FormatException
                ? new ErrorRecord(ex, "NftInvalidArgument", ErrorCategory.InvalidArgument, target)
                : NftErrors.FromException(ex, target));
            return null;
        }
        if (staged.Count == 0) return Array.Empty<BatchOperation>();
        if (guard is not null && !guard(scope)) return null;
        if (!scope.WhatIf && !ShouldProcess(shown ?? staged.ToString(), action)) return null;
        return scope.Transaction.Append(staged, target);
    }

    /// <summary>Queues without asking (the input was confirmed already, e.g. elements buffered per chunk).
    /// False when building failed (the error is written).</summary>
    private protected bool QueueConfirmed(object target, Action<NftBatch, ChangeScope> build)
    {
        var staged = new NftBatch();
        try
        {
            var scope = CurrentScope();
            build(staged, scope);
            scope.Transaction.Append(staged, target);
            return true;
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is NftLanguageException or NftPS.Language.Json.NftJsonException or ArgumentException or FormatException or InvalidOperationException
                                       or NftPS.Netlink.NetlinkException or NftPS.Netlink.NetworkNamespaceNotFoundException or IOException)
        {
            ReportError(ex is ArgumentException or FormatException
                ? new ErrorRecord(ex, "NftInvalidArgument", ErrorCategory.InvalidArgument, target)
                : NftErrors.FromException(ex, target));
            return false;
        }
    }

    /// <summary>After <see cref="Queue"/>: give the created object back once the transaction commits.</summary>
    private protected void RequestPassThru(IReadOnlyList<BatchOperation>? queued, NfTablesMessageType type, CreatedKind kind,
        NftFamily family, string table, string name)
    {
        var op = queued?.LastOrDefault(o => o.Type == type);
        if (op is null) return;
        CurrentScope().PassThru.Add(new PassThruRequest(op, kind, family, table, name));
    }

    /// <summary>Writes an error; inside Invoke-NftTransaction it also stops the transaction from committing.</summary>
    private protected void ReportError(ErrorRecord record)
    {
        WriteError(record);
        if (AmbientTransactions.Innermost is { } ambient)
            ambient.Doomed ??= record.ErrorDetails?.Message ?? record.Exception.Message;
    }

    /// <summary>Refuses an object read on another machine or in another namespace than this cmdlet changes:
    /// acting on it here would change the wrong ruleset.</summary>
    private protected bool CheckOrigin(NftObjectBase obj)
    {
        if (!string.Equals(obj.Host, NftObjectBase.LocalHostName, StringComparison.OrdinalIgnoreCase))
        {
            ReportError(NftErrors.ForeignObject(obj,
                $"{obj} was read on host '{obj.Host}', not on this one ('{NftObjectBase.LocalHostName}'); NftPS changes only the local kernel's rulesets. Nothing was changed.", otherHost: true));
            return false;
        }
        if (NamespaceKey.Of(obj.NetworkNamespace) != NamespaceKey.Of(NetworkNamespace))
        {
            string from = string.IsNullOrEmpty(obj.NetworkNamespace) ? "the caller's own network namespace" : $"network namespace '{obj.NetworkNamespace}'";
            string to = string.IsNullOrEmpty(NetworkNamespace) ? "the caller's own network namespace" : $"network namespace '{NetworkNamespace}'";
            ReportError(NftErrors.ForeignObject(obj,
                $"{obj} came from {from} but this command changes {to}; it was refused. Drop -NetworkNamespace to act where the object came from.", otherHost: false));
            return false;
        }
        return true;
    }

    /// <summary>Named sets of one table as the kernel holds them (for compiling rules and elements).</summary>
    private protected NftRuleset? ReadSets(NftFamily family, string table) => ReadRuleset(new RulesetQuery
    {
        Family = family, Table = table, IncludeTables = false, IncludeChains = false, IncludeRules = false,
        IncludeSets = true, IncludeElements = false, IncludeObjects = false, IncludeFlowtables = false,
    });

    /// <summary>What the ruleset says about refusals the kernel only gave an errno for (a best effort: a failure
    /// to look leaves the kernel's own message).</summary>
    private static Dictionary<NftOperationFailure, (string, bool)>? Explain(INftBackend connection,
        NftTransactionException refused, CancellationToken cancellation)
    {
        Dictionary<NftOperationFailure, (string, bool)>? found = null;
        foreach (var f in refused.Failures.Take(16))
        {
            try
            {
                if (RefusalExplainer.Explain(connection, f, cancellation) is { } why) (found ??= new())[f] = why;
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { }
        }
        return found;
    }

    /// <summary>Sends a transaction. Kernel refusals become one error per refused operation (naming it and its
    /// position), a concurrent change one conflict error; -PassThru objects are written after a real commit.
    /// Returns the conflict, when that is what happened, so Invoke-NftTransaction can retry.</summary>
    internal static CommitOutcome Commit(Cmdlet cmdlet, ChangeScope scope, bool checkOnly, CancellationToken cancellation,
        bool reportConflict = true)
    {
        var tx = scope.Transaction;
        Exception? failure = null;
        List<object> passThru = new();
        Dictionary<NftOperationFailure, (string Message, bool NotFound)>? explained = null;
        NftPS.NfTables.Rollback.PendingChangeState? pending = null;
        try
        {
            ConnectionCache.Use(scope.NetworkNamespace, connection =>
            {
                // -ConfirmWithin: the rollback (state, restore batch, agent) is armed before anything is applied.
                var arm = !checkOnly && scope.ConfirmWithin is { } within
                    ? NftPS.NfTables.Rollback.RollbackArm.Prepare(connection, tx, new(within, NftPendingChange.AgentProgram()), cancellation)
                    : null;
                bool committed = false;
                try
                {
                    var result = new NftSession(connection).Commit(tx,
                        new CommitOptions { CheckOnly = checkOnly, Echo = scope.PassThru.Count > 0 && !checkOnly }, cancellation);
                    committed = true;
                    if (arm is not null) pending = arm.Complete(connection, cancellation);
                    if (!checkOnly && scope.PassThru.Count > 0) passThru = PassThruResolver.Resolve(connection, scope.PassThru, result, cancellation);
                }
                catch (NftTransactionException refused)
                {
                    arm?.Cancel();
                    failure = refused;
                    if (!checkOnly) explained = Explain(connection, refused, cancellation);
                }
                catch (NftConflictException ex)
                {
                    arm?.Cancel();
                    failure = ex;
                }
                catch when (arm is not null && !committed)
                {
                    arm.Cancel();
                    throw;
                }
                return 0;
            });
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        switch (failure)
        {
            case null:
                if (!checkOnly)
                    KernelSetCache.Committed(NamespaceKey.Of(scope.NetworkNamespace), tx.Generation,
                        tx.Batch.Operations.All(KernelSetCache.ChangesOnlyElements));
                foreach (var o in passThru) cmdlet.WriteObject(o);
                if (pending is not null) cmdlet.WriteObject(new NftPendingChange(pending));
                return CommitOutcome.Committed;
            case NftConflictException conflict:
                if (reportConflict) cmdlet.WriteError(NftErrors.FromException(conflict, tx.ToString()));
                return CommitOutcome.Conflict;
            case NftTransactionException refused:
                foreach (var f in refused.Failures)
                {
                    var one = new NftTransactionException(new[] { f }, refused.OperationCount, checkOnly);
                    if (explained?.TryGetValue(f, out var why) == true)
                    {
                        var record = NftErrors.ByErrno(one, why.NotFound ? NftPS.Netlink.Errors.ENOENT : f.Errno, f.Target ?? f.Operation?.Description);
                        record.ErrorDetails = new ErrorDetails($"{why.Message} {one.Message}");
                        cmdlet.WriteError(record);
                    }
                    else cmdlet.WriteError(NftErrors.ByErrno(one, f.Errno, f.Target ?? f.Operation?.Description));
                }
                return CommitOutcome.Refused;
            default:
                cmdlet.WriteError(NftErrors.FromException(failure, tx.ToString()));
                return CommitOutcome.Refused;
        }
    }
}

internal enum CommitOutcome { Committed, Conflict, Refused }
