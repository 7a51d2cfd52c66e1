using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Conformance;

/// <summary>Issue 3 (JSON output): after `nft -f FILE` in a private namespace, NftPS's JSON of the ruleset parses
/// equal to `nft -j list ruleset`, and loads back with `nft -j -f -` to the same listing. Runs every scenario and
/// every dump nft 1.0.6 loads; writes TestResults/json-rulesets.md.</summary>
public class JsonOutputConformanceTests(ITestOutputHelper output)
{
    /// <summary>Measured: 250/250 scenarios and dumps give JSON equal (and byte-identical) to nft's.</summary>
    public const double EqualFloor = 1.0;
    /// <summary>Measured: 197/250 load back with `nft -j -f` to the same listing. Every failure is nft 1.0.6's own: our
    /// JSON equals nft's there (typeof, netdev devices and anonymous chains are not in its JSON).</summary>
    public const double LoadsBackFloor = 0.788;

    private static readonly Lazy<(IReadOnlyList<JsonRulesetCheck> Checks, TimeSpan Duration)> Shared = new(() =>
    {
        ScenarioUsers.Ensure();
        var files = Directory.EnumerateFiles(ConformanceCorpus.ScenarioRoot, "*.nft").Order(StringComparer.Ordinal)
            .Select(p => ("scenarios/" + Path.GetFileName(p), p))
            .Concat(ConformanceCorpus.DumpStatuses().Where(d => d.Loaded)
                .Select(d => ("nft-dumps/" + d.File, Path.Combine(ConformanceCorpus.DumpRoot, d.File))))
            .ToList();
        IReadOnlyList<JsonRulesetCheck> checks = Array.Empty<JsonRulesetCheck>();
        var duration = RulesetListingCheck.Time(() => checks = JsonRulesetChecks.Run(files, loadBack: true));
        return (checks, duration);
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private void Report()
    {
        var (checks, duration) = Shared.Value;
        string markdown = JsonRulesetChecks.ToMarkdown("JSON output of scenarios and dumps", checks, duration);
        string path = ConformanceCorpus.ReportPath("json-rulesets.md");
        File.WriteAllText(path, markdown);
        output.WriteLine(markdown);
        output.WriteLine("report: " + path);
    }

    [KernelFact]
    public void OurJsonEqualsNftJsonForScenariosAndDumps()
    {
        TestEnvironment.RequireShared();
        Report();
        var loaded = Shared.Value.Checks.Where(c => c.Loaded).ToList();
        Assert.True(loaded.Count > 200, $"only {loaded.Count} files loaded");
        foreach (var c in loaded.Where(c => c.Name.StartsWith("scenarios/", StringComparison.Ordinal)))
            Assert.True(c.Equal, $"{c.Name}: {c.FirstDifference}");
        double rate = (double)loaded.Count(c => c.Equal) / loaded.Count;
        Assert.True(rate >= EqualFloor, $"NftPS JSON equals nft's for {loaded.Count(c => c.Equal)}/{loaded.Count} = {rate:P1}; floor {EqualFloor:P1}");
    }

    [KernelFact]
    public void OurJsonLoadsBackWithNft()
    {
        TestEnvironment.RequireShared();
        Report();
        var tried = Shared.Value.Checks.Where(c => c.LoadsBack is not null).ToList();
        Assert.True(tried.Count > 200, $"only {tried.Count} files tried");
        foreach (var c in tried.Where(c => c.Name.StartsWith("scenarios/", StringComparison.Ordinal)))
            Assert.True(c.LoadsBack == true, $"{c.Name}: {c.LoadBackError}");
        double rate = (double)tried.Count(c => c.LoadsBack == true) / tried.Count;
        foreach (var c in tried.Where(c => c.LoadsBack == false))
            Assert.True(c.Equal, $"{c.Name}: our JSON differs from nft's and does not load back: {c.LoadBackError}");
        Assert.True(rate >= LoadsBackFloor, $"NftPS JSON loads back for {tried.Count(c => c.LoadsBack == true)}/{tried.Count} = {rate:P1}; floor {LoadsBackFloor:P1}");
    }
}
