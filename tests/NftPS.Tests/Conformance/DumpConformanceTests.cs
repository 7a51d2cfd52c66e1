using NftPS.Tests.Conformance.Vectors;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Conformance;

/// <summary>Every upstream dump (shared/conformance/nft-dumps) loaded with nft in a private namespace: NftPS's
/// listing must equal nft's. Writes TestResults/conformance-dumps.md with the pass rate and every difference.</summary>
public class DumpConformanceTests(ITestOutputHelper output)
{
    /// <summary>Share of the dumps nft 1.0.6 loads that NftPS must list identically.</summary>
    public const double Goal = 0.95;

    /// <summary>What NftPS reaches now (246/246 with nft 1.0.6): a regression below it fails.</summary>
    public const double Floor = 1.0;

    private static readonly Lazy<(IReadOnlyList<RulesetCheck> Checks, TimeSpan Duration)> Shared = new(() =>
    {
        var files = ConformanceCorpus.DumpStatuses()
            .Select(d => (d.File, Path.Combine(ConformanceCorpus.DumpRoot, d.File))).ToList();
        IReadOnlyList<RulesetCheck> checks = Array.Empty<RulesetCheck>();
        var duration = RulesetListingCheck.Time(() => checks = RulesetListingCheck.Run(files, Reader));
        return (checks, duration);
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly IRulesetTextReader Reader = NftPsReaders.RulesetText();

    [KernelFact]
    public void DumpsLoadAndListAsRecordedForNft106()
    {
        TestEnvironment.RequireShared();
        var status = ConformanceCorpus.DumpStatuses().ToDictionary(d => d.File);
        var problems = new List<string>();
        foreach (var c in Shared.Value.Checks)
        {
            var s = status[c.Name];
            if (c.Loaded != s.Loaded) problems.Add($"{c.Name}: loaded {c.Loaded}, recorded {s.Loaded} ({c.LoadError})");
            else if (c.Loaded && c.NftListing is { } listing)
            {
                string original = File.ReadAllText(Path.Combine(ConformanceCorpus.DumpRoot, c.Name));
                bool same = listing.Trim() == original.Trim();
                if (same != s.ListedIdentical) problems.Add($"{c.Name}: nft lists it back unchanged: {same}, recorded {s.ListedIdentical}");
            }
        }
        foreach (string p in problems) output.WriteLine(p);
        Assert.Equal(status.Count, Shared.Value.Checks.Count);
        Assert.Empty(problems);
    }

    [KernelFact]
    public void NftPsListsLoadedDumpsExactlyAsNft()
    {
        TestEnvironment.RequireShared();
        var (checks, duration) = Shared.Value;
        string markdown = RulesetListingCheck.ToMarkdown("Dump read-back conformance", checks, Reader, Goal, duration);
        string path = ConformanceCorpus.ReportPath("conformance-dumps.md");
        File.WriteAllText(path, markdown);
        output.WriteLine(markdown);
        output.WriteLine("report: " + path);
        var loaded = checks.Where(c => c.Loaded).ToList();
        Assert.True(loaded.Count > 200, $"only {loaded.Count} dumps loaded");
        Assert.True(Reader.UnavailableReason is null, "NftPS ruleset reader not available: " + Reader.UnavailableReason);
        double rate = (double)loaded.Count(c => c.Identical) / loaded.Count;
        Assert.True(rate >= Goal, $"NftPS lists {loaded.Count(c => c.Identical)}/{loaded.Count} = {rate:P1} of loaded dumps like nft; goal {Goal:P0}. See {path}");
        Assert.True(rate >= Floor, $"NftPS lists {loaded.Count(c => c.Identical)}/{loaded.Count} = {rate:P1} of loaded dumps like nft; it reached {Floor:P1} before. See {path}");
    }
}
