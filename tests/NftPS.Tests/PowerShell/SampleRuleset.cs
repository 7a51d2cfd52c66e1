using System.Text.RegularExpressions;

namespace NftPS.Tests.PowerShell;

/// <summary>The ruleset the script tests load with nft (the oracle) before each test.</summary>
internal static class SampleRuleset
{
    /// <summary>tests/fixtures/sample-ruleset.nft, shared with the Pester specs.</summary>
    public static string Text { get; } = File.ReadAllText(Path.Combine(Infrastructure.TestEnvironment.RepoRoot, "tests", "fixtures", "sample-ruleset.nft"));

    /// <summary>Rule handles in chain order, read from `nft -a list chain`.</summary>
    public static ulong[] RuleHandles(string nftListing) =>
        Regex.Matches(nftListing, @"^\t\t(?!type ).*# handle (\d+)$", RegexOptions.Multiline)
            .Select(m => ulong.Parse(m.Groups[1].Value)).ToArray();
}
