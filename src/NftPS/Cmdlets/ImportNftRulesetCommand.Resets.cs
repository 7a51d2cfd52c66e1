using System.Management.Automation;
using NftPS.Language.Script;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Reading;

namespace NftPS.Cmdlets;

/// <summary>The `reset counter(s)|quota(s)` commands of a file, done as nft 1.0.6 does them: each is a request of its
/// own (NFT_MSG_GETOBJ_RESET), sent in file order while nft walks the file and so before the batch is committed; a
/// reset the kernel refuses stops there and the batch is not sent (resets already done stay done). A reset of an
/// object the same file creates therefore fails, as with nft. The values before are not written: nft prints them from
/// its cache, and Reset-NftCounter returns them only with -PassThru, which an import has not.</summary>
public sealed partial class ImportNftRulesetCommand
{
    private void RunResets(string file, IReadOnlyList<ScriptReset> resets, ISet<(NftFamily, string)> createdTables, bool declined)
    {
        if (Changes.AmbientTransactions.Innermost is { WhatIf: true })
        {
            WriteVerbose($"Inside Invoke-NftTransaction -WhatIf: the file's {resets.Count} reset(s) are not sent.");
            return;
        }
        if (declined)
        {
            // The batch was not queued (-WhatIf, or declined): show the resets, send nothing.
            if (WhatIfInEffect()) foreach (var r in resets) ShouldProcess(r.Operation.ToCommandText(), "Reset counter");
            return;
        }
        // nft refuses a `reset counters table t` of a table that neither exists nor is created by the file before it
        // sends anything; the same check here, for every reset, before the first one is sent.
        foreach (var r in resets)
        {
            if (r.Operation is not ObjectsResetOperation { HasTable: true } d || createdTables.Contains((d.Family, d.Table))) continue;
            var tables = ReadRuleset(TablesOnly(d.Family, d.Table));
            if (tables is null) { DiscardOwn(); return; }
            if (tables.FindTable(d.Family, d.Table) is null)
            {
                Fail(file, new NftEvaluationException(r.Span, NftPS.Netlink.Errors.Describe(NftPS.Netlink.Errors.ENOENT)));
                return;
            }
        }
        foreach (var r in resets)
        {
            if (Validate ? !CheckReset(file, r) : !SendReset(file, r)) return;
        }
    }

    private bool SendReset(string file, ScriptReset r)
    {
        if (!ShouldProcess(r.Operation.ToCommandText(), "Reset counter")) return true;
        try
        {
            ConnectionCache.Use(NetworkNamespace, backend => backend.Reset(r.Operation, Cancellation));
            return true;
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (NftPS.Netlink.NetlinkException e)
        {
            Fail(file, new NftEvaluationException(r.Span, $"Could not process rule: {NftPS.Netlink.Errors.Describe(e.Errno)}"), e);
            return false;
        }
    }

    /// <summary>-Validate: the object a single reset names must exist now (nft would send the reset before the batch,
    /// so one the file creates is missing too); nothing is reset. nft -c does reset (nft 1.0.6 sends resets under -c).</summary>
    private bool CheckReset(string file, ScriptReset r)
    {
        if (r.Operation is not ObjectResetOperation o) return true;
        var found = ReadRuleset(new RulesetQuery
        {
            Family = o.Family, Table = o.Table, IncludeTables = false, IncludeChains = false, IncludeRules = false,
            IncludeSets = false, IncludeElements = false, IncludeObjects = true, IncludeFlowtables = false,
        });
        if (found is null) { DiscardOwn(); return false; }
        if (found.Objects.Any(x => x.Family == o.Family && x.Table == o.Table && x.Name == o.Name && (uint)x.Type == o.ObjectType)) return true;
        Fail(file, new NftEvaluationException(r.Span, $"Could not process rule: {NftPS.Netlink.Errors.Describe(NftPS.Netlink.Errors.ENOENT)}"));
        return false;
    }

    private static RulesetQuery TablesOnly(NftFamily family, string table) => new()
    {
        Family = family, Table = table, IncludeTables = true, IncludeChains = false, IncludeRules = false,
        IncludeSets = false, IncludeElements = false, IncludeObjects = false, IncludeFlowtables = false,
    };

    /// <summary>A failed reset: the error, and the file's batch is dropped unsent, as nft stops before sending it.</summary>
    private void Fail(string file, NftEvaluationException error, Exception? inner = null)
    {
        DiscardOwn();
        var record = NftErrors.FromException(error, file);
        if (inner is NftPS.Netlink.NetlinkException n) record = NftErrors.ByErrno(error, n.Errno, file);
        ReportError(record);
    }

    private bool WhatIfInEffect() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? LanguagePrimitives.IsTrue(w) : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
}
