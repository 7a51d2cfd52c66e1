using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Operations;

namespace NftPS.Tests.Compiler;

/// <summary>`meter NAME [size N] { key stmt }` declares its set in the rule's batch as nft 1.0.6 does. Golden values
/// recorded from nft 1.0.6 in a private namespace: `nft --debug=netlink,mnl -f FILE` where FILE is `table ip t { chain c
/// { type filter hook input priority 0; RULES } }` with the three rules below in this order (so the set ids are 1, 2,
/// 3); the hex strings are the NEWSET attributes of the mnl dump, the expression lines its netlink dump (in NftPS's
/// debug format: constants at their length). The dynset's attributes are in kernel order here, not libnftnl's.</summary>
public class MeterCompileTests
{
    public static readonly (string Rule, string SetAttributes, string[] Expressions)[] Cases =
    {
        ("tcp dport 22 ct state new meter ssh_flood { ip saddr limit rate over 3/minute } drop",
            "06000100740000000E0002007373685F666C6F6F6400000008000300000000210800040000000007080005000000000408000A00000000010A000D000004020000000000",
            new[]
            {
                "[ meta load l4proto => reg 1 ]", "[ cmp eq reg 1 0x06 ]",
                "[ payload load 2b @ transport header + 2 => reg 1 ]", "[ cmp eq reg 1 0x0016 ]",
                "[ ct load state => reg 1 ]", "[ bitwise reg 1 = ( reg 1 & 0x00000008 ) ^ 0x00000000 ]", "[ cmp neq reg 1 0x00000000 ]",
                "[ payload load 4b @ network header + 12 => reg 1 ]",
                "[ dynset add reg_key 1 set ssh_flood expr [ limit rate 3/minute burst 5 type packets flags 0x1 ] ]",
                "[ immediate reg 0 drop ]",
            }),
        ("meter m2 size 1024 { ip saddr . tcp dport counter }",
            "0600010074000000070002006D320000080003000000002108000400000001CD080005000000000808000A00000000020C00098008000100000004000A000D000004000000000000",
            new[]
            {
                "[ meta load l4proto => reg 1 ]", "[ cmp eq reg 1 0x06 ]",
                "[ payload load 4b @ network header + 12 => reg 1 ]", "[ payload load 2b @ transport header + 2 => reg 9 ]",
                "[ dynset add reg_key 1 set m2 expr [ counter pkts 0 bytes 0 ] ]",
            }),
        ("meter m3 { ip saddr timeout 10s limit rate 10/second }",
            "0600010074000000070002006D33000008000300000000310800040000000007080005000000000408000A00000000030A000D000004020000000000",
            new[]
            {
                "[ payload load 4b @ network header + 12 => reg 1 ]",
                "[ dynset update reg_key 1 set m3 timeout 10000ms expr [ limit rate 10/second burst 5 type packets flags 0x0 ] ]",
            }),
    };

    private static List<CompiledRule> CompileAll()
    {
        var ids = new BatchIds();
        return Cases.Select(c => RuleCompiler.Compile(c.Rule, new CompileContext { Family = NftFamily.Ip, Table = "t", Chain = "c", Ids = ids })).ToList();
    }

    [Fact]
    public void Each_meter_declares_its_set_with_nfts_bytes()
    {
        var compiled = CompileAll();
        for (int i = 0; i < Cases.Length; i++)
        {
            var (set, elements) = Assert.Single(compiled[i].AnonymousSets);
            Assert.Empty(elements);
            var w = new NetlinkWriter();
            NftOperationEncoder.WriteAttributes(w, new SetOperation(NftVerb.Add, NftFamily.Ip, "t", set.Name) { Spec = set });
            Assert.Equal(Cases[i].SetAttributes, Convert.ToHexString(w.WrittenSpan));
        }
    }

    [Fact]
    public void Each_meter_rule_has_nfts_expressions_and_names_its_set_by_batch_id()
    {
        var compiled = CompileAll();
        for (int i = 0; i < Cases.Length; i++)
        {
            Assert.Equal(Cases[i].Expressions, compiled[i].DebugLines);
            var dynset = compiled[i].Expressions.OfType<NftPS.NfTables.Expressions.DynsetExpression>().Single();
            Assert.Equal((uint)(i + 1), dynset.SetId);
        }
    }

    [Theory]
    [InlineData("meter m { ip saddr }", "syntax error, unexpected '}'")]
    [InlineData("meter m { ip saddr counter limit rate 1/second }", "syntax error, unexpected limit")]
    [InlineData("meter m { ip saddr accept }", "syntax error, unexpected accept")]
    public void A_meter_holds_exactly_one_stateful_statement(string rule, string message)
    {
        var ex = Assert.ThrowsAny<NftPS.Language.Syntax.NftLanguageException>(() =>
            RuleCompiler.Compile(rule, new CompileContext { Family = NftFamily.Ip, Table = "t", Chain = "c" }));
        Assert.StartsWith("Error: " + message, ex.Message);
    }
}
