using NftPS.Language.Json;
using NftPS.Language.Printing;
using NftPS.Tests.Conformance;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Compat;

/// <summary>Each tool's iptables-nft shapes, built in a private namespace: NftPS's listing must equal `nft list
/// ruleset` byte for byte and its JSON `nft -j list ruleset`. The per-tool line counts go to the test output.</summary>
public class CompatGoldenTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Tools => ToolShapes.All.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Tools))]
    public void Listing_equals_nft(string tool)
    {
        using var ns = new PrivateNetworkNamespace();
        ns.Require();
        CompatShapes.Build(ns.Name, ToolShapes.All[tool]);
        string nft = ns.NftListRuleset();
        string ours = RulesetPrinter.Print(NftPsReaders.Read(ns.Name), new RulesetPrintOptions());
        var (equal, total, first) = CompatShapes.CompareLines(nft, ours);
        output.WriteLine($"{tool}: {equal}/{total} lines equal{(first is null ? "" : "; first difference " + first)}");
        Assert.Equal(nft, ours);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public void Json_equals_nft(string tool)
    {
        using var ns = new PrivateNetworkNamespace();
        ns.Require();
        CompatShapes.Build(ns.Name, ToolShapes.All[tool]);
        string nft = ns.Nft("-j", "list", "ruleset").EnsureSuccess("nft -j list ruleset").StdOut.TrimEnd('\n');
        string ours = RulesetJson.ToText(NftPsReaders.Read(ns.Name));
        output.WriteLine($"{tool}: JSON {(nft == ours ? "byte-identical" : JsonRulesetChecks.FirstDifference(nft, ours))}");
        Assert.Equal(nft, ours);
    }
}
