using System.Text.RegularExpressions;
using NftPS.Language;
using NftPS.Language.Evaluate;
using NftPS.Language.Json;
using NftPS.Language.Linearize;
using NftPS.Language.Printing;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.Tests.Infrastructure;
using NftPS.Tests.Model;

namespace NftPS.Tests.Compiler;

/// <summary>nft 1.1's `last` statement (any/last.t), which nft 1.0.6 does not know: the expressions are the ones
/// upstream's last.t.payload records, the text and JSON the ones its last.t / last.t.json give.</summary>
public class LastStatementTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;

    public LastStatementTests(PrivateNetworkNamespace ns) => _ns = ns;

    private static CompiledRule Compile(string rule, NftFamily family = NftFamily.Ip) =>
        RuleCompiler.Compile(rule, new CompileContext { Family = family, Table = "t", Chain = "c" });

    private static string[] Lines(string rule, NftFamily family = NftFamily.Ip) => Compile(rule, family).DebugLines.ToArray();

    private static NftRule Rule(params Expression[] exprs) => new() { Family = NftFamily.Ip, Table = "t", Chain = "c", Expressions = exprs };

    [Theory]
    [InlineData("last", "[ last never ]")]
    [InlineData("last used never", "[ last never ]")]
    [InlineData("last used 300s", "[ last 300000 ]")]
    [InlineData("last used 1d2h3m4s5ms", "[ last 93784005 ]")]
    public void Last_compiles_to_the_recorded_expression(string rule, string expected)
    {
        foreach (var family in new[] { NftFamily.Ip, NftFamily.Ip6, NftFamily.Inet, NftFamily.Arp, NftFamily.Bridge, NftFamily.Netdev })
            Assert.Equal(new[] { expected }, Lines(rule, family));
    }

    [Fact]
    public void Last_sends_both_attributes_as_nft_does()
    {
        Assert.Equal(new LastExpression { Set = 0, Milliseconds = 0 }, Compile("last").Expressions.Single());
        Assert.Equal(new LastExpression { Set = 1, Milliseconds = 300000 }, Compile("last used 300s").Expressions.Single());
        Assert.Equal(new[] { "[ meta load l4proto => reg 1 ]", "[ cmp eq reg 1 0x06 ]", "[ last never ]", "[ counter pkts 0 bytes 0 ]", "[ immediate reg 0 accept ]" },
            Lines("meta l4proto tcp last counter accept"));
    }

    [Theory]
    [InlineData("last used foo")]
    [InlineData("last used")]
    [InlineData("last never")]
    public void Bad_last_is_refused(string rule) => Assert.ThrowsAny<NftLanguageException>(() => Compile(rule));

    [Fact]
    public void Last_prints_as_nft_lists_it()
    {
        var never = Rule(new LastExpression { Set = 0, Milliseconds = 0 });
        var used = Rule(new LastExpression { Set = 1, Milliseconds = 93784005 });
        Assert.Equal("last", RuleTextPrinter.Print(never, new NftRuleset(), stateless: true));
        Assert.Equal("last", RuleTextPrinter.Print(used, new NftRuleset(), stateless: true));
        Assert.Equal("last used never", RuleTextPrinter.Print(never, new NftRuleset(), stateless: false));
        Assert.Equal("last used 1d2h3m4s5ms", RuleTextPrinter.Print(used, new NftRuleset(), stateless: false));
    }

    [Fact]
    public void Last_json_is_nft_1_1s()
    {
        string Json(NftRule r, bool stateless) => NftJsonText.Write(RuleJson.Statements(r, new NftRuleset(),
            NftPS.Language.DataTypes.PrintOptions.Default with { Stateless = stateless }));
        Assert.Equal("""[{"last": null}]""", Json(Rule(new LastExpression { Set = 0, Milliseconds = 0 }), false));
        Assert.Equal("""[{"last": {"used": 300000}}]""", Json(Rule(new LastExpression { Set = 1, Milliseconds = 300000 }), false));
        Assert.Equal("""[{"last": null}]""", Json(Rule(new LastExpression { Set = 1, Milliseconds = 300000 }), true));
    }

    [KernelFact]
    public void Last_added_by_our_batch_reads_back_as_written()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad("add table ip t\nadd chain ip t c { type filter hook input priority 0; }\n").EnsureSuccess("nft -f");
        using (var conn = NfTablesConnection.Open(_ns.Name))
        {
            foreach (var text in new[] { "last", "last used 300s", "meta l4proto tcp last used never counter accept" })
            {
                var batch = new NftBatch();
                batch.QueueRule(Compile(text), NftFamily.Ip, "t", "c");
                var result = conn.ExecuteBatch(batch, new BatchOptions());
                Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Describe())));
            }
        }
        var rs = ListingComparison.Read(_ns);
        var rules = rs.Rules.Where(r => r.Table == "t" && r.Chain == "c").ToList();
        Assert.Equal(3, rules.Count);
        Assert.Equal("last used never", rules[0].Text);
        // The kernel reports how long ago: 300 s plus the few milliseconds the test took.
        Assert.Matches(new Regex(@"^last used 5m(\d+s)?(\d+ms)?$"), rules[1].Text);
        Assert.Equal("meta l4proto tcp last used never counter packets 0 bytes 0 accept", rules[2].Text);
        Assert.Equal(new[] { "last", "last", "meta l4proto tcp last counter accept" },
            rules.Select(r => RuleTextPrinter.Print(r, rs, stateless: true)).ToArray());
        _ns.Flush();
    }
}
