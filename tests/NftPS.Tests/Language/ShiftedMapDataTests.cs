using System.Text.Json.Nodes;
using NftPS.Language;
using NftPS.Language.Printing;
using NftPS.Language.DataTypes;
using NftPS.Language.Json;
using NftPS.Tests.Conformance;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Language;

/// <summary>Maps on a masked sub-byte field (`ip dscp` is the top six bits of a byte): the kernel holds the keys shifted
/// left by two, the printers shift them back, and the map data stays as it is. The text and the JSON printer take the
/// shift as a parameter and must both print what nft 1.0.6 lists (the text printer used to shift the data too).</summary>
public class ShiftedMapDataTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;

    public ShiftedMapDataTests(PrivateNetworkNamespace ns) => _ns = ns;

    private const string Ruleset = """
        table ip t {
            chain c {
                meta mark set ip dscp map { cs1 : 0x00000010, af11 : 0x00000020 }
                ct mark set ip dscp map { 4 : 0x00000100 }
                ip dscp { cs1, af11 } counter
                ip dscp vmap { cs1 : accept, af11 : drop }
                meta priority set ip dscp map { cs2 : 1:2 }
            }
        }
        """;

    [KernelFact]
    public void TextAndJsonPrintShiftedKeysAndUnshiftedDataAsNftDoes()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Ruleset).EnsureSuccess("nft -f");
        var nftLines = _ns.NftListRuleset("-s").Split('\n').Select(l => l.Trim())
            .Where(l => l.Contains(" set ", StringComparison.Ordinal) || l.StartsWith("ip dscp", StringComparison.Ordinal)).ToList();
        var nftJson = JsonNode.Parse(_ns.NftListRuleset("-j"))!["nftables"]!.AsArray()
            .Where(n => n!["rule"] is not null).Select(n => n!["rule"]!["expr"]!).ToList();

        var ruleset = NftPsReaders.Read(_ns.Name);
        var rules = ruleset.Rules.Where(r => r.Table == "t").ToList();
        Assert.Equal(5, rules.Count);
        Assert.Equal(5, nftLines.Count);
        var options = PrintOptions.Default with { Stateless = true };
        for (int i = 0; i < rules.Count; i++)
        {
            Assert.Equal(nftLines[i], RuleTextPrinter.Describe(rules[i], ruleset, options).Text);
            var ours = RuleJson.Statements(rules[i], ruleset, PrintOptions.Default);
            Assert.True(JsonNode.DeepEquals(nftJson[i], ours), $"nft: {nftJson[i]!.ToJsonString()}\nours: {ours.ToJsonString()}");
        }
        Assert.Contains("cs1 : 0x00000010", nftLines[0]);
    }
}
