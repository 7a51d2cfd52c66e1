using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Writing;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Expressions;

/// <summary>Kinds nft 1.0.6 cannot write (last, inner, tunnel, xtables match/target, boolean bitwise, dynset with
/// several expressions): we encode the rule ourselves, the kernel takes it, and its dump must decode to the same
/// kind and re-encode to identical bytes (NLA_F_NESTED ignored).</summary>
public class ExpressionKernelSynthesizedTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly ITestOutputHelper _out;

    public ExpressionKernelSynthesizedTests(PrivateNetworkNamespace ns, ITestOutputHelper output)
    {
        _ns = ns;
        _out = output;
    }

    private static Expression MetaLoad(MetaKey key, uint dreg) => new MetaExpression { Key = key, DestinationRegister = dreg };

    /// <summary>(description, family, table, chain, expressions, required): required ones must be accepted by this kernel.</summary>
    private static IEnumerable<(string What, NftFamily Family, string Table, string Chain, Expression[] Exprs, bool Required)> Cases()
    {
        yield return ("last", NftFamily.Ip, "t", "c", new Expression[] { new LastExpression() }, true);
        yield return ("last used", NftFamily.Ip, "t", "c", new Expression[] { new LastExpression { Set = 1, Milliseconds = 5000 } }, true);
        yield return ("tunnel id", NftFamily.Netdev, "n", "in", new Expression[]
        {
            new TunnelExpression { Key = TunnelKey.Id, DestinationRegister = 1 },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = new byte[] { 0, 0, 0, 42 } },
        }, true);
        yield return ("tunnel path mode rx", NftFamily.Netdev, "n", "in", new Expression[]
        {
            new TunnelExpression { Key = TunnelKey.Path, DestinationRegister = 1, Mode = TunnelMode.Rx },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = new byte[] { 1 } },
        }, true);
        yield return ("inner vxlan payload", NftFamily.Ip, "t", "c", new Expression[]
        {
            new InnerExpression
            {
                Number = 0, Type = InnerType.Vxlan, HeaderSize = 8,
                Flags = InnerFlags.HeaderSize | InnerFlags.LinkLayer | InnerFlags.Network | InnerFlags.Transport,
                Body = new PayloadExpression { DestinationRegister = 1, Base = PayloadBase.Network, Offset = 12, Length = 4 },
            },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = new byte[] { 10, 0, 0, 1 } },
        }, true);
        yield return ("inner vxlan meta", NftFamily.Ip, "t", "c", new Expression[]
        {
            new InnerExpression
            {
                Type = InnerType.Vxlan, HeaderSize = 8,
                Flags = InnerFlags.HeaderSize | InnerFlags.LinkLayer | InnerFlags.Network | InnerFlags.Transport,
                Body = MetaLoad(MetaKey.L4Proto, 1),
            },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = new byte[] { 6 } },
        }, true);
        yield return ("match comment", NftFamily.Ip, "t", "c", new Expression[]
        {
            new MatchExpression { ExtensionName = "comment", Revision = 0, Info = CommentInfo("hello") },
        }, true);
        yield return ("target MARK", NftFamily.Ip, "t", "c", new Expression[]
        {
            new TargetExpression { ExtensionName = "MARK", Revision = 2, Info = new byte[] { 0x10, 0, 0, 0, 0xff, 0xff, 0xff, 0xff } },
        }, true);
        yield return ("bitwise and sreg2", NftFamily.Ip, "t", "c", new Expression[]
        {
            MetaLoad(MetaKey.Mark, 1), MetaLoad(MetaKey.Priority, 2),
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 4, Operator = BitwiseOperator.And, SourceRegister2 = 2 },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = new byte[] { 1, 0, 0, 0 } },
        }, false);
        yield return ("bitwise lshift", NftFamily.Ip, "t", "c", new Expression[]
        {
            MetaLoad(MetaKey.Mark, 1),
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 4, Operator = BitwiseOperator.LeftShift, Data = new byte[] { 8, 0, 0, 0 } },
        }, true);
        yield return ("dynset two expressions", NftFamily.Ip, "t", "c", new Expression[]
        {
            new PayloadExpression { DestinationRegister = 1, Base = PayloadBase.Network, Offset = 12, Length = 4 },
            new DynsetExpression
            {
                SetName = "dyn", Operation = DynsetOperation.Update, SourceKeyRegister = 1, Timeout = 60000,
                ElementExpressions = new Expression[] { new CounterExpression(), new LimitExpression { Rate = 10, Unit = 1, Burst = 5, Type = LimitType.Packets, Flags = LimitFlags.None } },
                Flags = DynsetFlags.Expression,
            },
        }, true);
        yield return ("exthdr tcp option reset", NftFamily.Ip, "t", "c", new Expression[]
        {
            new ExthdrExpression { Type = 4, Operation = ExthdrOperation.TcpOption },
        }, true);
        yield return ("ct set zone original", NftFamily.Ip, "raw", "pre", new Expression[]
        {
            new ImmediateExpression { DestinationRegister = 1, Data = new byte[] { 1, 0 } },
            new CtExpression { Key = CtKey.Zone, SourceRegister = 1, Direction = CtDirection.Original },
        }, true);
        yield return ("queue sreg", NftFamily.Ip, "t", "c", new Expression[]
        {
            new ImmediateExpression { DestinationRegister = 1, Data = new byte[] { 3, 0, 0, 0 } },
            new QueueExpression { SourceRegister = 1, Flags = QueueFlags.Bypass },
        }, false);
        yield return ("flow_offload", NftFamily.Ip, "t", "fw", new Expression[]
        {
            new FlowOffloadExpression { FlowtableName = "ft" },
        }, false);
    }

    private static byte[] CommentInfo(string text)
    {
        var info = new byte[256];
        System.Text.Encoding.ASCII.GetBytes(text).CopyTo(info, 0);
        return info;
    }

    [KernelFact]
    public void KindsNftCannotWriteRoundTripThroughTheKernel()
    {
        _ns.Require();
        _ns.Nft("flush", "ruleset");
        _ns.NftLoad("""
            table ip t {
              set dyn { type ipv4_addr; flags dynamic,timeout; }
              chain c { type filter hook input priority 0; }
              chain fw { type filter hook forward priority 0; }
            }
            table ip raw {
              chain pre { type filter hook prerouting priority -300; }
            }
            table netdev n {
              chain in { type filter hook ingress device lo priority 0; }
            }
            """).EnsureSuccess("load base ruleset");

        using var conn = NfTablesConnection.Open(_ns.Name);
        var accepted = new List<(string What, Expression[] Exprs)>();
        var refusedRequired = new List<string>();
        foreach (var c in Cases())
        {
            var batch = new NftBatch();
            batch.AddRule(c.Family, c.Table, c.Chain, c.Exprs, c.What);
            var result = conn.ExecuteBatch(batch, new BatchOptions());
            if (result.Succeeded) accepted.Add((c.What, c.Exprs));
            else
            {
                string why = string.Join("; ", result.Errors.Select(e => e.Describe()));
                _out.WriteLine($"kernel refused {c.What}: {why}");
                if (c.Required) refusedRequired.Add($"{c.What}: {why}");
            }
        }
        Assert.Empty(refusedRequired);

        var failures = new List<string>();
        var seen = new HashSet<string>();
        foreach (var rule in ExpressionKernelRoundTripTests.DumpRules(conn))
        {
            var list = ExpressionCodec.DecodeList(rule.Expressions);
            foreach (var e in list)
            {
                seen.Add(e.Name);
                if (e is UnknownExpression) failures.Add($"{rule.Table}/{rule.Chain}: unknown {e.Name}");
                if (e is InnerExpression { Body: { } b }) seen.Add("inner:" + b.Name);
                if (e is DynsetExpression { ElementExpressions: { } xs }) foreach (var x in xs) seen.Add("dynset:" + x.Name);
            }
            var w = new NetlinkWriter();
            foreach (var e in list) ExpressionCodec.Encode(w, e);
            string? diff = NetlinkBytes.Compare(rule.Expressions, w.WrittenSpan);
            if (diff is not null)
                failures.Add($"{rule.Table}/{rule.Chain} handle {rule.Handle}: {diff}\n kernel {NetlinkBytes.Hex(rule.Expressions)}\n ours   {NetlinkBytes.Hex(w.WrittenSpan)}");
        }
        _ns.Nft("flush", "ruleset");
        _out.WriteLine("accepted: " + string.Join(", ", accepted.Select(a => a.What)));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        foreach (var k in new[] { "last", "tunnel", "inner", "inner:payload", "inner:meta", "match", "target", "dynset:counter", "dynset:limit" })
            Assert.Contains(k, seen);
    }
}
