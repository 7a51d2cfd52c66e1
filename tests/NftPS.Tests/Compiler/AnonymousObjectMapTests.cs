using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Script;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Compiler;

/// <summary>`counter name KEY map { k : "obj", ... }`: an anonymous object map created with the rule, as nft 1.0.6
/// sends it (`__objmap%d`, flags anonymous|constant|object, NFTA_SET_OBJ_TYPE, elements with OBJREF).</summary>
public class AnonymousObjectMapTests : IClassFixture<PrivateNetworkNamespace>
{
    private const string Ruleset = """
        table inet t {
        	counter c1 {
        	}

        	counter c2 {
        	}

        	quota q1 {
        		over 10 mbytes
        	}

        	chain c {
        		counter name tcp dport map { 22 : "c1", 80 : "c2" }
        		counter name ip saddr map { 1.2.3.4 : "c1", 5.6.7.0/24 : "c2" }
        		quota name ip saddr . tcp dport map { 1.2.3.4 . 22 : "q1" }
        		counter name meta mark map { 1 : "c1", * : "c2" }
        	}
        }

        """;

    private readonly PrivateNetworkNamespace _ns;

    public AnonymousObjectMapTests(PrivateNetworkNamespace ns) => _ns = ns;

    [Fact]
    public void ObjectMapIsSentAsNftSendsIt()
    {
        var rule = RuleCompiler.Compile("counter name tcp dport map { 22 : \"c1\", 80 : \"c2\" }",
            new CompileContext { Family = NftFamily.Inet, Table = "t" });
        var (set, elements) = Assert.Single(rule.AnonymousSets);
        Assert.Equal("__objmap%d", set.Name);
        Assert.Equal(0x43u, set.Flags);
        Assert.Equal(1u, set.ObjectType);
        Assert.Null(set.DataType);
        Assert.Equal(new byte[] { 0, 4, 2, 0, 0, 0, 6, 4, 0, 0, 0, 0 }, set.UserData);
        Assert.Equal(new[] { "c1", "c2" }, elements.Select(e => e.ObjectReference));
        Assert.Equal(new[] { "[ meta load l4proto => reg 1 ]", "[ cmp eq reg 1 0x06 ]",
            "[ payload load 2b @ transport header + 2 => reg 1 ]", "[ objref sreg 1 set __objmap%d ]" }, rule.DebugLines);
    }

    [Fact]
    public void ObjectMapDataMustBeNames()
    {
        var e = Assert.ThrowsAny<NftLanguageException>(() => RuleCompiler.Compile("counter name tcp dport map { 22 }",
            new CompileContext { Family = NftFamily.Inet, Table = "t" }));
        Assert.Contains("expected mapping", e.Message);
    }

    [KernelFact]
    public void ObjectMapsListExactlyAsNftsOwnLoad()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Ruleset).EnsureSuccess("nft -f");
        string expected = _ns.NftListRuleset();
        _ns.Flush();
        var batch = new NftBatch();
        NftScript.Parse(Ruleset.Replace("\r", ""), "objmap.nft").QueueOn(batch);
        using (var conn = NfTablesConnection.Open(_ns.Name))
        {
            var result = conn.ExecuteBatch(batch, new BatchOptions());
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(x => x.Describe())));
        }
        Assert.Equal(expected, _ns.NftListRuleset());
        _ns.Flush();
    }
}
