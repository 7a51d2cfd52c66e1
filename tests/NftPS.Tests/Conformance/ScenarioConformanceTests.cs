using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Conformance;

/// <summary>Scenario "read back" (shared/scenarios/README.md, point 2): after `nft -f NAME.nft` in a private
/// namespace, `nft list ruleset` prints expected/NAME.txt and NftPS's whole-ruleset text is that, byte for byte.</summary>
public class ScenarioConformanceTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Scenarios()
    {
        string? shared = TestEnvironment.SharedDir;
        if (shared is null) return new[] { new object[] { "(../shared missing)" } };
        return Directory.EnumerateFiles(Path.Combine(shared, "scenarios"), "*.nft")
            .Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal)
            .Select(n => new object[] { n });
    }


    [KernelTheory]
    [MemberData(nameof(Scenarios))]
    public void NftPsListsScenarioExactlyAsNft(string name)
    {
        string dir = ConformanceCorpus.ScenarioRoot;
        ScenarioUsers.Ensure();
        var reader = NftPsReaders.RulesetText();
        string expected = ScenarioUsers.ExpectedListing(name);
        using var ns = new ScratchNamespace("scn");
        var check = RulesetListingCheck.Check(ns, name, Path.Combine(dir, name + ".nft"), reader);
        Assert.True(check.Loaded, $"nft -f {name}.nft failed: {check.LoadError}");
        Assert.True(expected == check.NftListing,
            "oracle: nft's listing differs from expected/" + name + ".txt: " + RulesetListingCheck.FirstDifference(expected, check.NftListing!));
        if (check.OurListing is not null) output.WriteLine(check.OurListing);
        Assert.True(check.ReaderError is null, check.ReaderError);
        Assert.True(expected == check.OurListing, "NftPS: " + RulesetListingCheck.FirstDifference(expected, check.OurListing!));
    }
}
