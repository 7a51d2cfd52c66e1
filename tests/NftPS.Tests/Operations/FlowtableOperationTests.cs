using NftPS.Language.Script;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Writing;

namespace NftPS.Tests.Operations;

/// <summary>Flowtable operations: parsed from nft text, written back as text that re-parses to them, and encoded with
/// the attributes nft 1.0.6 sends (recorded with `nft --debug=mnl` in a private namespace).</summary>
public class FlowtableOperationTests
{
    private static FlowtableOperation Parse(string text)
    {
        var batch = new NftBatch();
        NftScript.Parse(text).QueueOn(batch);
        return Assert.IsType<FlowtableOperation>(Assert.Single(batch.TypedOperations));
    }

    private static string Attributes(NftOperation op)
    {
        var w = new NetlinkWriter(256);
        NftOperationEncoder.WriteAttributes(w, op);
        return Convert.ToHexString(w.WrittenSpan);
    }

    [Theory]
    // add flowtable inet t f { hook ingress priority 0; devices = { lo }; }
    [InlineData("add flowtable inet t f { hook ingress priority 0; devices = { lo }; }",
        "0600010074000000" + "0600020066000000" + "20000380" + "0800010000000000" + "0800020000000000" +
        "0C000380" + "070001006C6F0000" + "0800070000000000")]
    // add flowtable inet t g { hook ingress priority -5; devices = { lo, dummy0 }; flags offload; counter; } (nft sorts the devices)
    [InlineData("add flowtable inet t g { hook ingress priority -5; devices = { lo, dummy0 }; flags offload; counter; }",
        "06000100740000000600020067000000" + "2C000380" + "0800010000000000" + "08000200FFFFFFFB" +
        "18000380" + "0B00010064756D6D79300000" + "070001006C6F0000" + "0800070000000003")]
    // delete flowtable inet t f
    [InlineData("delete flowtable inet t f", "06000100740000000600020066000000")]
    public void Encodes_the_attributes_nft_sends(string command, string expected)
    {
        var op = Parse(command);
        Assert.Equal(expected, Attributes(op));
        var batch = new NftBatch();
        batch.Add(op);
        Assert.Equal(op.Verb == NftVerb.Delete ? NfTablesMessageType.DelFlowtable : NfTablesMessageType.NewFlowtable, batch[0].Type);
        if (op.Verb != NftVerb.Delete) Assert.Equal(NetlinkConstants.NLM_F_CREATE, batch[0].Flags);
    }

    [Theory]
    [InlineData("add flowtable inet t f { hook ingress priority 0; devices = { \"lo\" }; }")]
    [InlineData("create flowtable ip \"my t\" \"f 2\" { hook ingress priority -5; devices = { \"lo\", \"dummy0\" }; flags offload; counter; }")]
    [InlineData("add flowtable netdev t f { hook ingress priority 10; }")]
    [InlineData("delete flowtable inet t f")]
    [InlineData("delete flowtable inet t handle 4")]
    public void Its_text_reparses_to_the_same_operation(string command)
    {
        var op = Parse(command);
        Assert.Equal(command, op.ToCommandText());
        Assert.Equal(op, Parse(op.ToCommandText()));
        Assert.Equal(NftObjectKind.Flowtable, op.Kind);
    }

    [Fact]
    public void Named_priorities_and_differences_are_seen()
    {
        Assert.Equal(0, Parse("add flowtable inet t f { hook ingress priority filter; devices = { lo }; }").Priority);
        Assert.Equal(5, Parse("add flowtable inet t f { hook ingress priority filter + 5; devices = { lo }; }").Priority);
        Assert.NotEqual(Parse("add flowtable inet t f { hook ingress priority 0; devices = { lo }; }"),
            Parse("add flowtable inet t f { hook ingress priority 0; devices = { eth0 }; }"));
        Assert.ThrowsAny<NftPS.Language.Syntax.NftLanguageException>(() => Parse("add flowtable inet t f { hook egress priority 0; }"));
        Assert.ThrowsAny<NftPS.Language.Syntax.NftLanguageException>(() => Parse("add flowtable inet t f { devices = { lo }; }"));
        Assert.Throws<NftOperationException>(() => new NftBatch().AddFlowtable(NftFamily.Inet, "t", "f", 0, new[] { "lo" }, flags: 8));
    }
}
