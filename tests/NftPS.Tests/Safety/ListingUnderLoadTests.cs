using System.Text;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11 defect 6: listings on a busy host. Four writers commit a few hundred transactions a second while
/// listings run, and every listing must succeed with a consistent snapshot; a large hash set read right after it was
/// loaded (while the kernel resizes its table) must come back with every element exactly once.</summary>
public class ListingUnderLoadTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;
    private readonly ITestOutputHelper _out;

    public ListingUnderLoadTests(ScriptFixture fx, ITestOutputHelper output)
    {
        _fx = fx;
        _out = output;
    }

    /// <summary>A ruleset big enough that a listing takes a few milliseconds, so commits land in the middle of it.</summary>
    private static string Busy()
    {
        var text = new StringBuilder("table inet busy {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { ");
        text.AppendJoin(", ", Enumerable.Range(1, 3000).Select(i => $"10.1.{i >> 8}.{i & 255}"));
        text.Append(" }\n\t}\n\tchain c {\n");
        for (int i = 1; i <= 300; i++) text.Append($"\t\ttcp dport {i} ip saddr @s counter accept\n");
        return text.Append("\t}\n}\n").ToString();
    }

    /// <summary>Writers that each add and delete their own table about 55 times a second (≈ 220 commits/s together).</summary>
    private static (Task All, Func<long> Commits) StartWriters(string ns, CancellationToken stop)
    {
        long commits = 0;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            using var conn = NfTablesConnection.Open(ns);
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                var batch = new NftBatch();
                if (i % 2 == 0) batch.AddTable(NftFamily.Inet, $"writer{w}");
                else batch.DeleteTable(NftFamily.Inet, $"writer{w}");
                conn.ExecuteBatch(batch, new BatchOptions());
                Interlocked.Increment(ref commits);
                Thread.Sleep(18);
            }
        })).ToArray();
        return (Task.WhenAll(writers), () => Interlocked.Read(ref commits));
    }

    [KernelFact]
    public void ListingsSucceedWhileFourWritersCommit()
    {
        _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Busy()).EnsureSuccess("nft -f");
        using var stop = new CancellationTokenSource();
        var (writers, commits) = StartWriters(_fx.Namespace.Name, stop.Token);
        int reads = 0, retried = 0, maxAttempts = 0;
        try
        {
            using var conn = NfTablesConnection.Open(_fx.Namespace.Name);
            var reader = new RulesetReader(conn);
            var deadline = DateTime.UtcNow.AddSeconds(6);
            while (DateTime.UtcNow < deadline)
            {
                var rs = reader.Read(); // throws RulesetChangedException when it gives up: the defect
                reads++;
                if (reader.LastAttempts > 1) retried++;
                maxAttempts = Math.Max(maxAttempts, reader.LastAttempts);
                Assert.Equal(300, rs.Rules.Count(r => r.Table == "busy"));
                Assert.Equal(3000, rs.Sets.Single(s => s.Name == "s").Elements.Count);
            }
        }
        finally
        {
            stop.Cancel();
            writers.Wait();
        }
        _out.WriteLine($"{reads} reads, {retried} retried, at most {maxAttempts} attempts, {commits()} commits");
        Assert.True(commits() > 200, "the writers did not run");
        Assert.True(retried > 0, "no read had to start over: the test did not exercise the retry path");
    }

    [KernelFact]
    public void CmdletListingsSucceedWhileFourWritersCommit()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Busy()).EnsureSuccess("nft -f");
        using var stop = new CancellationTokenSource();
        var (writers, commits) = StartWriters(_fx.Namespace.Name, stop.Token);
        PowerShellResult r;
        try
        {
            r = host.Run("""
                $deadline = [DateTime]::UtcNow.AddSeconds(4); $n = 0
                while ([DateTime]::UtcNow -lt $deadline) {
                    $null = Get-NftRule -NetworkNamespace $ns -Table busy
                    $null = Export-NftRuleset -NetworkNamespace $ns
                    $n += 2
                }
                $n
                """);
        }
        finally
        {
            stop.Cancel();
            writers.Wait();
        }
        _out.WriteLine($"{r.Output.LastOrDefault()} listings, {commits()} commits");
        Assert.False(r.HadErrors, r.Describe());
    }

    [KernelFact]
    public void GivingUpSaysHowLongItTried()
    {
        _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Busy()).EnsureSuccess("nft -f");
        using var stop = new CancellationTokenSource();
        // Unthrottled writers: a listing of this size can hardly ever finish between two commits.
        long commits = 0;
        var writer = Task.Run(() =>
        {
            using var conn = NfTablesConnection.Open(_fx.Namespace.Name);
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                var batch = new NftBatch();
                if (i % 2 == 0) batch.AddTable(NftFamily.Inet, "flood");
                else batch.DeleteTable(NftFamily.Inet, "flood");
                conn.ExecuteBatch(batch, new BatchOptions());
                Interlocked.Increment(ref commits);
            }
        });
        try
        {
            using var conn = NfTablesConnection.Open(_fx.Namespace.Name);
            var reader = new RulesetReader(conn) { RetryBudget = TimeSpan.FromMilliseconds(400) };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                for (int i = 0; i < 20; i++) reader.Read();
                _out.WriteLine("every read found a quiet moment; nothing to check");
                return;
            }
            catch (RulesetChangedException ex)
            {
                Assert.Contains(" s (", ex.Message);
                Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), "gave up before the budget was spent");
                _out.WriteLine(ex.Message);
            }
        }
        finally
        {
            stop.Cancel();
            writer.Wait();
        }
    }

    [KernelFact]
    public void ABigHashSetReadRightAfterLoadingHasEveryElementOnce()
    {
        _fx.Require();
        _fx.Namespace.Flush();
        int count = int.TryParse(Environment.GetEnvironmentVariable("NFTPS_BIG_SET"), out int n) ? n : 300_000;
        string file = Path.Combine(Path.GetTempPath(), $"nftps-big-{Guid.NewGuid():N}.nft");
        // The set is created empty and filled afterwards, so the kernel picks its resizable hash (a set created with
        // its elements gets a table sized for them and never resizes).
        var text = new StringBuilder("add element inet big s { ");
        text.AppendJoin(", ", Enumerable.Range(0, count).Select(i => $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"));
        File.WriteAllText(file, text.Append(" }\n").ToString());
        try
        {
            int duplicateRetries = 0;
            for (int round = 0; round < 2; round++)
            {
                _fx.Namespace.Nft("delete", "table", "inet", "big");
                _fx.Namespace.NftLoad("table inet big {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n}\n").EnsureSuccess("nft -f");
                // Connected before loading, so the read starts the moment nft returns (the resize is still running).
                using var conn = NfTablesConnection.Open(_fx.Namespace.Name);
                var reader = new RulesetReader(conn);
                _fx.Namespace.Nft("-f", file).EnsureSuccess("nft -f");
                var rs = reader.Read(new RulesetQuery { Family = NftFamily.Inet, Table = "big", IncludeRules = false, IncludeChains = false,
                    IncludeObjects = false, IncludeFlowtables = false });
                duplicateRetries += reader.LastDuplicateRetries;
                var elements = rs.Sets.Single().Elements;
                Assert.Equal(count, elements.Count);
                Assert.Equal(count, elements.Select(e => Convert.ToHexString(e.Key!)).Distinct().Count());
            }
            _out.WriteLine($"{duplicateRetries} reads thrown away for a duplicated element");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ADumpWithAKeyTwiceIsFound()
    {
        NftSetElement E(params byte[] key) => new() { Key = key };
        Assert.Null(SetElementKeys.FindDuplicate(new[] { E(1, 2), E(1, 3), E(2, 2) }));
        Assert.NotNull(SetElementKeys.FindDuplicate(new[] { E(1, 2), E(1, 3), E(1, 2) }));
        // An interval's end marker shares its key with the next start: not a duplicate.
        Assert.Null(SetElementKeys.FindDuplicate(new[] { E(5), new NftSetElement { Key = new byte[] { 5 }, Flags = 1 } }));
    }
}
