using System.Text.Json.Nodes;
using NftPS.Language.Json;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Tests.Language;

/// <summary>Golden cases: kernel expressions built by hand → the JSON statements nft 1.0.6 lists (`nft -j`), and
/// the byte format of the document.</summary>
public class RuleJsonGoldenTests
{
    private static MetaExpression Meta(MetaKey key, uint reg = 1) => new() { Key = key, DestinationRegister = reg };
    private static CmpExpression Eq(params byte[] data) => new() { SourceRegister = 1, Operator = CmpOperator.Eq, Data = data };
    private static PayloadExpression Load(PayloadBase b, uint offset, uint len) => new() { DestinationRegister = 1, Base = b, Offset = offset, Length = len };
    private static ImmediateExpression Verdict(VerdictCode code, string? chain = null) => new() { DestinationRegister = 0, Verdict = new NftVerdict(code, chain) };

    private static string Json(NftFamily family, bool stateless, params Expression[] exprs) =>
        NftJsonText.Write(RuleJson.Statements(new NftRule { Family = family, Table = "t", Chain = "c", Expressions = exprs },
            new NftRuleset(), NftPS.Language.DataTypes.PrintOptions.Default with { Stateless = stateless }));

    [Fact]
    public void TcpDportAcceptInInet() =>
        Assert.Equal("""[{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}}, {"accept": null}]""",
            Json(NftFamily.Inet, false, Meta(MetaKey.L4Proto), Eq(6), Load(PayloadBase.Transport, 2, 2), Eq(0, 22), Verdict(VerdictCode.Accept)));

    [Fact]
    public void CtStateFlagsAreAnInMatchWithANameArray() =>
        Assert.Equal("""[{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"jump": {"target": "x"}}]""",
            Json(NftFamily.Inet, false,
                new CtExpression { Key = CtKey.State, DestinationRegister = 1 },
                new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 4, Mask = new byte[] { 6, 0, 0, 0 }, Xor = new byte[4] },
                new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Neq, Data = new byte[4] }, Verdict(VerdictCode.Jump, "x")));

    [Fact]
    public void PrefixAndCounterWithAndWithoutState()
    {
        var exprs = new Expression[]
        {
            Load(PayloadBase.Network, 16, 1), Eq(10), new CounterExpression { Packets = 3, Bytes = 120 }, Verdict(VerdictCode.Drop),
        };
        Assert.Equal("""[{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": {"prefix": {"addr": "10.0.0.0", "len": 8}}}}, {"counter": {"packets": 3, "bytes": 120}}, {"drop": null}]""",
            Json(NftFamily.Ip, false, exprs));
        Assert.Contains("""{"counter": null}""", Json(NftFamily.Ip, true, exprs));
    }

    [Fact]
    public void LogAndLimit() =>
        Assert.Equal("""[{"limit": {"rate": 10, "burst": 5, "per": "minute", "inv": true}}, {"log": {"prefix": "a \"b\"\\c", "level": "info", "flags": "skuid"}}]""",
            Json(NftFamily.Ip, false,
                new LimitExpression { Rate = 10, Unit = 60, Burst = 5, Type = LimitType.Packets, Flags = LimitFlags.Invert },
                new LogExpression { Prefix = "a \"b\"\\c", Level = LogLevel.Info, Flags = (LogFlags)8 }));

    [Fact]
    public void AnUndecodableExpressionIsRefusedNotDropped()
    {
        var ex = Assert.Throws<NftJsonUnsupportedException>(() => Json(NftFamily.Ip, false,
            new UnknownExpression("frobnicate", Array.Empty<byte>()), Verdict(VerdictCode.Accept)));
        Assert.Contains("frobnicate", ex.Message);
    }

    [Fact]
    public void AnAnonymousSetWithoutItsElementsIsRefused()
    {
        var ex = Assert.Throws<NftJsonUnsupportedException>(() => NftJsonText.Write(RuleJson.Statements(
            new NftRule
            {
                Family = NftFamily.Ip, Table = "t", Chain = "c",
                Expressions = new Expression[] { Load(PayloadBase.Network, 12, 4), new LookupExpression { SourceRegister = 1, SetName = "__set0" } },
            }, null)));
        Assert.Contains("__set0", ex.Message);
    }

    [Fact]
    public void DocumentFormatIsJanssonsDefault()
    {
        var doc = RulesetJson.Document(new JsonNode[] { new JsonObject { ["table"] = new JsonObject { ["name"] = "ü/\t\u0001", ["list"] = new JsonArray(1, true, null) } } });
        Assert.Equal("""{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"name": "ü/\t\u0001", "list": [1, true, null]}}]}""",
            NftJsonText.Write(doc));
        Assert.True(JsonNode.DeepEquals(doc, JsonNode.Parse(NftJsonText.Write(doc, indented: true))));
    }
}
