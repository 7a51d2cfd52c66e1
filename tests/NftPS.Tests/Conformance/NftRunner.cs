using System.Collections.Concurrent;
using System.Diagnostics;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Conformance;

/// <summary>Runs nft (the oracle) inside a named network namespace, always with a timeout, by default with TZ=UTC-2
/// like upstream's harness (meta hour/day/time vectors depend on it). Never runs nft in the host namespace.</summary>
public static class NftRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public const string UpstreamTimeZone = "UTC-2";

    /// <summary>Runs nft in <paramref name="netns"/>. <paramref name="timeZone"/>: the TZ to run with; null keeps the
    /// test process's own.</summary>
    public static ProcessResult Nft(string netns, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null,
        string? timeZone = UpstreamTimeZone)
    {
        if (string.IsNullOrEmpty(netns)) throw new ArgumentException("nft only runs inside a private network namespace", nameof(netns));
        return Run("ip", new[] { "netns", "exec", netns, "nft" }.Concat(args), stdin, timeout ?? DefaultTimeout, timeZone);
    }

    /// <summary>`nft -f -` with the script on stdin; error locations then read `/dev/stdin:LINE:COL`.</summary>
    public static ProcessResult Load(string netns, string script, TimeSpan? timeout = null) =>
        Nft(netns, new[] { "-f", "-" }, script, timeout);

    public static ProcessResult Run(string file, IEnumerable<string> args, string? stdin, TimeSpan timeout, string? timeZone = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        if (timeZone is not null) psi.Environment["TZ"] = timeZone;
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null) p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // the process exited before reading all of its input; its exit code and stderr say why
        }
        if (!p.WaitForExit((int)timeout.TotalMilliseconds))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
            return new ProcessResult(-1, outTask.Result, $"timed out after {timeout.TotalSeconds:0}s: {file} {string.Join(' ', args)}\n{errTask.Result}");
        }
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, outTask.Result, errTask.Result);
    }
}

/// <summary>A network namespace created for one piece of work and always deleted (use with `using`).</summary>
public sealed class ScratchNamespace : IDisposable
{
    public ScratchNamespace(string purpose)
    {
        Name = $"nftps-{purpose}-{Guid.NewGuid().ToString("N")[..8]}";
        var r = NftRunner.Run("ip", new[] { "netns", "add", Name }, null, TimeSpan.FromSeconds(30));
        if (r.ExitCode != 0) throw new InvalidOperationException($"ip netns add {Name} failed: {r.StdErr}");
    }

    public string Name { get; }

    public ProcessResult Nft(params string[] args) => NftRunner.Nft(Name, args);
    public ProcessResult Load(string script) => NftRunner.Load(Name, script);

    public void Flush() => Nft("flush", "ruleset").EnsureSuccess($"nft flush ruleset in {Name}");

    public void Dispose() => NftRunner.Run("ip", new[] { "netns", "delete", Name }, null, TimeSpan.FromSeconds(30));
}

/// <summary>Work spread over a few threads, each with its own scratch namespace that is flushed after every item:
/// how the conformance checks load hundreds of files with nft in parallel without sharing a ruleset.</summary>
public static class ScratchNamespaceWorkers
{
    /// <summary>Runs <paramref name="work"/> (which may give several results per item) for every item (in the given order, as workers free up) and returns all
    /// results unordered. A worker that fails (its namespace cannot be made, or work throws) fails the whole run.</summary>
    public static List<TResult> RunMany<TItem, TResult>(IEnumerable<TItem> items, string purpose, int workers,
        Func<ScratchNamespace, TItem, IEnumerable<TResult>> work)
    {
        var queue = new ConcurrentQueue<TItem>(items);
        var results = new ConcurrentBag<TResult>();
        var failures = new ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, Math.Max(1, Math.Min(workers, queue.Count))).Select(i => new Thread(() =>
        {
            try
            {
                using var ns = new ScratchNamespace(purpose + i);
                while (queue.TryDequeue(out var item))
                {
                    foreach (var r in work(ns, item)) results.Add(r);
                    ns.Flush();
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToList();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (!failures.IsEmpty) throw new AggregateException($"{purpose} workers failed", failures);
        return results.ToList();
    }

    public static List<TResult> Run<TItem, TResult>(IEnumerable<TItem> items, string purpose, int workers,
        Func<ScratchNamespace, TItem, TResult> work) =>
        RunMany(items, purpose, workers, (ns, item) => new[] { work(ns, item) });

    /// <summary>The first non-empty line of a tool's stderr: nft's error, without its echo of the input.</summary>
    public static string FirstLine(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";
}
