using NftPS.NfTables.Printing;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Model;

/// <summary>Loads ../shared scenarios and conformance dumps with nft and compares our listing with nft's, rule
/// lines by count only until the language layer prints them.</summary>
public class SharedListingKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly ITestOutputHelper _out;

    public SharedListingKernelTests(PrivateNetworkNamespace ns, ITestOutputHelper output)
    {
        _ns = ns;
        _out = output;
    }

    private (bool Same, string Why) LoadAndCompare(string file)
    {
        _ns.Flush();
        var load = ProcessRunner.Run("ip", new[] { "netns", "exec", _ns.Name, "nft", "-f", file });
        if (load.ExitCode != 0) return (false, "nft -f failed: " + load.StdErr.Split('\n')[0]);
        string expected = ListingComparison.Structural(_ns.NftListRuleset());
        string actual;
        try
        {
            actual = ListingComparison.Structural(RulesetPrinter.Print(ListingComparison.Read(_ns)));
        }
        catch (Exception ex)
        {
            return (false, ex.GetType().Name + ": " + ex.Message);
        }
        return expected == actual ? (true, "") : (false, ListingComparison.FirstDifference(expected, actual));
    }

    [KernelFact]
    public void ScenariosListLikeNft()
    {
        _ns.Require();
        ScenarioUsers.Ensure();
        string dir = Path.Combine(TestEnvironment.RequireShared(), "scenarios");
        var failures = new List<string>();
        foreach (var file in Directory.GetFiles(dir, "*.nft").OrderBy(f => f, StringComparer.Ordinal))
        {
            var (same, why) = LoadAndCompare(file);
            if (!same) failures.Add($"{Path.GetFileName(file)}: {why}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [KernelFact]
    public void ConformanceDumpsListLikeNft()
    {
        _ns.Require();
        string conformance = Path.Combine(TestEnvironment.RequireShared(), "conformance");
        var loadable = File.ReadAllLines(Path.Combine(conformance, "nft-1.0.6-dumps-status.tsv"))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .Where(f => f.Length >= 2 && f[1] == "1")
            .Select(f => f[0])
            .ToList();
        int passed = 0;
        var failures = new List<string>();
        foreach (var name in loadable)
        {
            var (same, why) = LoadAndCompare(Path.Combine(conformance, "nft-dumps", name));
            if (same) passed++;
            else failures.Add($"{name}: {why}");
        }
        _ns.Flush();
        _out.WriteLine($"structural listing identical for {passed}/{loadable.Count} loadable dumps");
        foreach (var f in failures) _out.WriteLine(f);
        // Raise this floor as the printer improves; it guards against regressions.
        Assert.True(passed >= loadable.Count * 9 / 10, $"{passed}/{loadable.Count} identical:\n" + string.Join("\n", failures));
    }
}
