using NftPS.DesiredState;
using NftPS.Language.Syntax;
using NftPS.Language.Script;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Operations;
using NftPS.Tests.Infrastructure;
using static NftPS.Tests.DesiredState.DesiredStateKernel;

namespace NftPS.Tests.DesiredState;

/// <summary>ct timeout objects compile from nft text as nft 1.0.6 sends them (bytes captured from nft's sendmsg with
/// strace) and list as nft lists them, so a listing holding one can be a desired state.</summary>
public class CtTimeoutCompileTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    public CtTimeoutCompileTests(PrivateNetworkNamespace ns) => _ns = ns;

    private static ObjectOperation Compile(string text)
    {
        var batch = new NftBatch();
        NftScript.Parse(text).QueueOn(batch, new ScriptContext());
        return Assert.Single(batch.TypedOperations.OfType<ObjectOperation>());
    }

    private static string ObjectData(ObjectOperation op)
    {
        var w = new NetlinkWriter(256);
        NftOperationEncoder.WriteAttributes(w, op);
        var r = new NetlinkAttributeReader(w.WrittenSpan);
        while (r.TryRead(out var a))
            if (a.Type == 4) return Convert.ToHexString(a.Payload).ToLowerInvariant(); // NFTA_OBJ_DATA
        throw new InvalidOperationException("no NFTA_OBJ_DATA");
    }

    private static string States(params uint[] seconds) =>
        string.Concat(seconds.Select((s, i) => $"0800{i + 1:x2}00{s:x8}"));

    [Fact]
    public void Tcp_policy_is_sent_with_the_defaults_of_the_other_states()
    {
        var op = Compile("table ip t {\n\tct timeout cto {\n\t\tprotocol tcp; l3proto ip; policy = { established: 100, close: 4 }\n\t}\n}\n");
        Assert.Equal(7u, op.ObjectType);
        Assert.Equal("0600010000020000" + "0500020006000000" + "5c000380" + States(120, 60, 100, 120, 60, 30, 120, 4, 120, 300, 300),
            ObjectData(op));
        Assert.Equal("add ct timeout ip t cto { protocol tcp; l3proto ip; policy = { established : 100, close : 4 }; }", op.ToCommandText());
    }

    [Fact]
    public void Without_l3proto_none_is_sent_and_policy_lines_add_up()
    {
        var op = Compile("table inet t {\n\tct timeout c {\n\t\tprotocol udp\n\t\tpolicy = { replied: 12 }\n\t\tpolicy = { unreplied : 3 }\n\t}\n}\n");
        Assert.Equal("0500020011000000" + "14000380" + States(3, 12), ObjectData(op));
    }

    [Theory]
    [InlineData("protocol icmp", "syntax error, unexpected icmp, expecting udp or tcp")]
    [InlineData("protocol tcp; policy = { bogus: 7 }", "invalid state for this protocol")]
    [InlineData("protocol udp; policy = { established: 7 }", "invalid state for this protocol")]
    [InlineData("protocol tcp; policy = { established: 10s }", "")]
    [InlineData("protocol tcp; l3proto foo", "")]
    [InlineData("policy = { established: 1 }", "")]
    public void What_nft_refuses_is_refused(string body, string message)
    {
        var ex = Assert.ThrowsAny<NftLanguageException>(() => Compile($"table ip t {{\n\tct timeout c {{\n\t\t{body}\n\t}}\n}}\n"));
        Assert.Contains(message, ex.Message);
    }

    [KernelFact]
    public void Applied_as_a_desired_state_it_lists_as_nft_lists_it_and_converges()
    {
        const string text = "table ip t {\n\tct timeout cto {\n\t\tprotocol tcp; l3proto ip; policy = { established: 100, close: 4 }\n\t}\n" +
            "\tct timeout u {\n\t\tprotocol udp\n\t\tpolicy = { replied: 12 }\n\t}\n}\n";
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(text).EnsureSuccess("nft -f");
        string expected = _ns.NftListRuleset();
        _ns.Flush();
        using (var backend = NfTablesConnection.Open(_ns.Name))
        {
            Converge(backend, DesiredRuleset.FromText(text));
            Assert.Equal(expected, _ns.NftListRuleset());
            // The source leaves u's l3proto to the table, the listing names it: both are the state the host is in.
            foreach (var source in new[] { text, expected })
            {
                var again = Compare(backend, DesiredRuleset.FromText(source));
                Assert.True(again.InDesiredState, string.Join("\n", again.Differences.Select(d => d.ToString())));
            }
            // A changed policy is a difference (the object is created again).
            var changed = Compare(backend, DesiredRuleset.FromText(text.Replace("replied: 12", "replied: 13")));
            Assert.Single(changed.Differences);
        }
    }
}
