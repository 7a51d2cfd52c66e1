using NftPS.Language.Script;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Compiler;

/// <summary>`jump { ... }` / `goto { ... }`: rules of an anonymous chain written in place. nft 1.0.6 sends NEWCHAIN
/// (no name, NFT_CHAIN_BINDING, a batch-local chain id), the chain's rules by that id, then the rule whose verdict
/// names the id; the kernel lists the chain inline.</summary>
public class BoundChainTests : IClassFixture<PrivateNetworkNamespace>
{
    private const string Ruleset = """
        table inet t {
        	chain input {
        		type filter hook input priority filter; policy accept;
        		ip saddr 1.2.3.4 jump {
        			tcp dport 1 accept
        			counter packets 0 bytes 0
        		}
        		tcp dport { 22, 80 } goto { ip daddr 10.0.0.1 drop; accept; }
        	}
        }

        """;

    private readonly PrivateNetworkNamespace _ns;

    public BoundChainTests(PrivateNetworkNamespace ns) => _ns = ns;

    private static NftBatch Queue(string text)
    {
        var batch = new NftBatch();
        NftScript.Parse(text.Replace("\r", ""), "bound.nft").QueueOn(batch);
        return batch;
    }

    [Fact]
    public void BoundChainIsQueuedBeforeItsRuleWithItsOwnRules()
    {
        var ops = Queue(Ruleset).Operations.Select(o => o.Type).ToList();
        Assert.Equal(new[]
        {
            NfTablesMessageType.NewTable, NfTablesMessageType.NewChain,
            NfTablesMessageType.NewChain, NfTablesMessageType.NewRule, NfTablesMessageType.NewRule, NfTablesMessageType.NewRule,
            NfTablesMessageType.NewSet, NfTablesMessageType.NewSetElement,
            NfTablesMessageType.NewChain, NfTablesMessageType.NewRule, NfTablesMessageType.NewRule, NfTablesMessageType.NewRule,
        }, ops);
    }

    [Fact]
    public void NestedBindingIsRefusedAsNftDoes()
    {
        var e = Assert.ThrowsAny<NftLanguageException>(() => Queue("add rule inet t c jump { ip daddr 10.0.0.1 jump { drop; }; }"));
        Assert.Contains("too many levels of nesting", e.Message);
    }

    [Fact]
    public void EmptyBindingIsASyntaxError()
    {
        Assert.ThrowsAny<NftLanguageException>(() => Queue("add rule inet t c jump { }"));
    }

    [KernelFact]
    public void BoundChainsListExactlyAsNftsOwnLoad()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Ruleset).EnsureSuccess("nft -f");
        string expected = _ns.NftListRuleset();
        _ns.Flush();

        using (var conn = NfTablesConnection.Open(_ns.Name))
        {
            var result = conn.ExecuteBatch(Queue(Ruleset), new BatchOptions());
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(x => x.Describe())));
        }
        Assert.Equal(expected, _ns.NftListRuleset());
        _ns.Flush();
    }
}
