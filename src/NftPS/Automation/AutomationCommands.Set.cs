using System.Text.Json;
using NftPS.DesiredState;
using NftPS.NfTables;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Rollback;
using NftPS.NfTables.Transactions;

namespace NftPS.Automation;

internal sealed partial class AutomationCommands
{
    /// <summary>Converges: compare, then send the comparison's operations as one transaction checked against the
    /// generation the comparison read (a concurrent commit is a conflict: compare again, up to --max-retries). Nothing
    /// is sent when already in the desired state, or with --what-if.</summary>
    public int Set()
    {
        var (_, desired) = Desired();
        using var backend = Open();
        for (int attempt = 0; ; attempt++)
        {
            var comparison = Compare(backend, desired);
            var transaction = Transaction(comparison);
            if (comparison.InDesiredState || _o.WhatIf)
            {
                Report(comparison, transaction, changed: !comparison.InDesiredState, generationAfter: comparison.Generation, pending: null);
                return ExitCodes.Success;
            }
            var arm = _o.ConfirmWithin is { } within
                ? RollbackArm.Prepare(backend, transaction, new ConfirmOptions(within, Agent()) { StoreRoot = _host.StoreRoot })
                : null;
            PendingChangeState? pending = null;
            bool committed = false;
            try
            {
                new NftSession(backend).Commit(transaction);
                committed = true;
                pending = arm?.Complete(backend);
            }
            catch (NftConflictException) when (attempt < _o.MaxRetries)
            {
                arm?.Cancel();
                continue;
            }
            catch when (arm is not null && !committed)
            {
                arm.Cancel();
                throw;
            }
            Report(comparison, transaction, changed: true, generationAfter: backend.GetGeneration(), pending);
            return ExitCodes.Success;
        }
    }

    /// <summary>Has the kernel check what set would send (the comparison's operations), applying nothing: the
    /// desired state compiles, and the kernel accepts it on this ruleset (as Import-NftRuleset -Validate, nft -c).</summary>
    public int Validate()
    {
        var (_, desired) = Desired();
        using var backend = Open();
        var comparison = Compare(backend, desired);
        var transaction = Transaction(comparison);
        if (transaction.Count > 0) new NftSession(backend).Commit(transaction, new CommitOptions { CheckOnly = true });
        _stdout.Write(JsonOutput.Write(w =>
        {
            w.WriteBoolean("valid", true);
            w.WriteBoolean("inDesiredState", comparison.InDesiredState);
            w.WriteNumber("operations", transaction.Count);
            JsonOutput.Strings(w, "commands", comparison.Differences.SelectMany(d => d.Commands));
            JsonOutput.Comparison(w, comparison, _o.Netns);
        }));
        return ExitCodes.Success;
    }

    /// <summary>The comparison's operations in its batch order, each remembering the difference it removes (what a
    /// kernel refusal names), in one transaction checked against the generation the comparison read.</summary>
    private static NftTransaction Transaction(RulesetComparison comparison)
    {
        var owner = new Dictionary<NftOperation, NftDifference>(ReferenceEqualityComparer.Instance);
        foreach (var difference in comparison.Differences)
            foreach (var op in difference.Operations) owner.TryAdd(op, difference);
        var transaction = new NftTransaction(comparison.Generation);
        foreach (var op in comparison.Operations)
        {
            var batch = new NftBatch();
            batch.Add(op);
            transaction.Append(batch, owner.TryGetValue(op, out var d) ? d : null);
        }
        return transaction;
    }

    private void Report(RulesetComparison comparison, NftTransaction transaction, bool changed, uint generationAfter, PendingChangeState? pending)
    {
        _stdout.Write(JsonOutput.Write(w =>
        {
            w.WriteBoolean("changed", changed);
            w.WriteBoolean("whatIf", _o.WhatIf);
            JsonOutput.Differences(w, comparison.Differences);
            JsonOutput.Strings(w, "commands", comparison.Differences.SelectMany(d => d.Commands));
            // What is (or with --what-if would be) sent: the batch as nft text.
            w.WriteString("batch", transaction.Count == 0 ? "" : transaction.ToString());
            JsonOutput.Comparison(w, comparison, _o.Netns);
            w.WriteNumber("generationAfter", generationAfter);
            JsonOutput.PendingChange(w, pending);
        }));
    }

    /// <summary>The rollback agent: this nftps executable, unless the host names another.</summary>
    private AgentProgram Agent()
    {
        if (_host.Agent is { } agent) return agent;
        string? self = Environment.ProcessPath;
        if (self is not null && Path.GetFileName(self) == "nftps") return AgentProgram.Nftps(self, _host.StoreRoot);
        string beside = Path.Combine(AppContext.BaseDirectory, "nftps");
        if (File.Exists(beside)) return AgentProgram.Nftps(beside, _host.StoreRoot);
        throw new InvalidOperationException("No rollback agent: the nftps executable was not found, so --confirm-within cannot be armed. Nothing was changed.");
    }

    private string PendingId()
    {
        if (_o.Positionals.Count != 1 || !PendingChangeStore.IsValidId(_o.Positionals[0]))
            throw new CliUsageException($"{_o.Command} takes the id of one pending change (as set --confirm-within printed it).");
        return _o.Positionals[0];
    }

    public int Confirm() => Decide(PendingChanges.Confirm(new PendingChangeStore(_host.StoreRoot), PendingId()));

    public int Undo() => Decide(PendingChanges.Undo(new PendingChangeStore(_host.StoreRoot), PendingId()));

    private int Decide((PendingChangeResult Result, PendingChangeState? State) outcome)
    {
        _stdout.Write(JsonOutput.Write(w =>
        {
            w.WriteString("result", outcome.Result.ToString());
            JsonOutput.PendingChange(w, outcome.State);
        }));
        return outcome.Result == PendingChangeResult.Done ? ExitCodes.Success : ExitCodes.PendingChangeNotFound;
    }

    public int Pending()
    {
        NoPositionals();
        var list = new PendingChangeStore(_host.StoreRoot).List();
        _stdout.Write(JsonOutput.Write(w =>
        {
            w.WriteStartArray("pending");
            foreach (var state in list)
            {
                w.WriteStartObject();
                using var one = JsonDocument.Parse(JsonOutput.Write(x => JsonOutput.PendingChange(x, state)));
                foreach (var p in one.RootElement.GetProperty("pendingChange").EnumerateObject()) p.WriteTo(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
        return ExitCodes.Success;
    }

    /// <summary>`nftps rollback-agent [ROOT ID]`: the detached agent (AgentLauncher starts it with the id and store in
    /// NFTPS_ROLLBACK_ID / NFTPS_ROLLBACK_ROOT). Waits for the deadline and replays the restore batch unless confirmed.</summary>
    public int RollbackAgent()
    {
        string? root = _o.Positionals.Count == 2 ? _o.Positionals[0] : _host.Environment("NFTPS_ROLLBACK_ROOT");
        string? id = _o.Positionals.Count == 2 ? _o.Positionals[1] : _host.Environment("NFTPS_ROLLBACK_ID");
        if (_o.Positionals.Count is not (0 or 2) || string.IsNullOrEmpty(root) || !PendingChangeStore.IsValidId(id))
            throw new CliUsageException("rollback-agent takes ROOT ID (or NFTPS_ROLLBACK_ROOT and NFTPS_ROLLBACK_ID).");
        return PendingChanges.RunAgent(new PendingChangeStore(root), id!);
    }
}
