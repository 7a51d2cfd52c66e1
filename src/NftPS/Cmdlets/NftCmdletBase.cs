using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Cmdlets;

/// <summary>What every NftPS cmdlet shares: -NetworkNamespace, the session's cached connection for it,
/// cancellation from Ctrl+C (StopProcessing) and the mapping of failures to PowerShell errors.</summary>
public abstract partial class NftCmdletBase : PSCmdlet, IDisposable
{
    public const string DefaultParameterSet = "Default";

    private readonly CancellationTokenSource _stop = new();

    /// <summary>A bare name under /run/netns (as `ip netns` shows) or an absolute path to a namespace file such as
    /// /proc/PID/ns/net; omitted, the caller's own namespace (empty is refused). Objects carry the namespace they came
    /// from, so it flows along the pipeline; see NftCmdletBase.Namespace.cs for which value wins.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
    [AllowNull, AllowEmptyString]
    public string? NetworkNamespace { get; set; }

    protected CancellationToken Cancellation => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Reads what <paramref name="query"/> asks for; on failure writes the error and returns null.</summary>
    private protected NftRuleset? ReadRuleset(RulesetQuery query) =>
        Invoke(connection => RulesetSource.Read(connection, query, Cancellation), NetworkNamespace);

    /// <summary>Runs one core call on this namespace's connection. Failures become non-terminating errors
    /// (the pipeline goes on with its next input); Ctrl+C stops the pipeline.</summary>
    private protected T? Invoke<T>(Func<INftBackend, T> call, object? target) where T : class =>
        Run(() => ConnectionCache.Use(NetworkNamespace, call), target);

    private T? Run<T>(Func<T> call, object? target) where T : class
    {
        if (!ResolveNamespace()) return null;
        try
        {
            return call();
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteError(NftErrors.FromException(ex, target));
            return null;
        }
    }

    /// <summary>Reports names asked for exactly that matched nothing.</summary>
    private protected void WriteNotFound(NameFilter? filter, string kind, string? where)
    {
        if (filter is null) return;
        foreach (string name in filter.UnmatchedLiterals)
            WriteError(NftErrors.NotFound(kind, name, where, NetworkNamespace));
    }

    /// <summary>Reads what <paramref name="query"/> asks for and writes the objects of one kind that match the -Table,
    /// -Name and -Handle filters (and <paramref name="include"/>); names asked for literally that matched nothing
    /// are reported as not found, tables first.</summary>
    private protected void WriteTableObjects<T>(RulesetQuery query, NftFamily? family, string? table, string[]? name,
        ulong[]? handle, string kind, Func<NftRuleset, IEnumerable<T>> select, Func<T, bool>? include = null)
        where T : INftTableObject
    {
        var tables = NameFilter.Create(table);
        var names = NameFilter.Create(name);
        var ruleset = ReadRuleset(query);
        if (ruleset is null) return;
        foreach (var t in ruleset.Tables) NameFilter.Matches(tables, t.Name);
        WriteNotFound(tables, "table", family is NftFamily f ? $"family {f.ToKeyword()}" : null);
        var progress = new ProgressReporter(this, $"Listing {kind}s");
        long written = 0;
        foreach (var item in select(ruleset))
            if ((include is null || include(item)) && NameFilter.Matches(tables, item.Table) &&
                NameFilter.Matches(names, item.Name) && (handle is null || handle.Contains(item.Handle)))
            {
                WriteObject(item);
                progress.Report(() => $"{written:N0} {kind}s", ++written);
            }
        progress.Complete();
        if (tables?.UnmatchedLiterals.Any() != true) WriteNotFound(names, kind, table is null ? null : Where("table", family, table));
    }

    /// <summary>"table inet t" style text naming where something was looked for, for not-found messages.</summary>
    protected static string Where(string kind, NftFamily? family, string? name) =>
        family is NftFamily f ? $"{kind} {f.ToKeyword()} {name}" : $"{kind} {name}";

    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
