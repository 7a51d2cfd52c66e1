using NftPS.NfTables.Model;
using NftPS.NfTables;
using NftPS.NfTables.Writing;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Writing;

public class NftChangesKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    public NftChangesKernelTests(PrivateNetworkNamespace ns) => _ns = ns;

    private static byte[] Ip(string a) => System.Net.IPAddress.Parse(a).GetAddressBytes();

    [KernelFact]
    public void TablesChainsSetsAndObjectsListAsNftWouldWriteThem()
    {
        _ns.Require();
        _ns.Flush();
        using var conn = NfTablesConnection.Open(_ns.Name);
        var batch = new NftBatch();
        batch.AddTable(NftFamily.Inet, "w1", comment: "made by NftPS");
        batch.AddChain(NftFamily.Inet, "w1", "out", new ChainHookSpec("filter", 3, -10), policy: "drop");
        batch.AddChain(NftFamily.Inet, "w1", "helper", comment: "regular");
        var userData = new UserDataWriter().WriteU32(0, 2).ToArray(); // KEYBYTEORDER big-endian, as nft writes for ipv4_addr
        batch.AddSet(NftFamily.Inet, "w1", new SetSpec { Name = "allow", KeyType = 7, KeyLength = 4, UserData = userData, SetId = 1 },
            "type ipv4_addr;");
        batch.AddElements(NftFamily.Inet, "w1", "allow",
            new[] { new ElementSpec { Key = Ip("10.0.0.1") }, new ElementSpec { Key = Ip("192.168.1.7"), Comment = "gw" } },
            e => new System.Net.IPAddress(e.Key!).ToString());
        batch.AddSet(NftFamily.Inet, "w1", new SetSpec
        {
            Name = "nets", KeyType = 7, KeyLength = 4, Flags = 0x4,
            UserData = new UserDataWriter().WriteU32(0, 2).ToArray(), SetId = 2,
        }, "type ipv4_addr; flags interval;");
        // Old-style intervals: a leading END at 0, then start / end+1 pairs (NETLINK-NOTES §7).
        batch.AddElements(NftFamily.Inet, "w1", "nets", new[]
        {
            new ElementSpec { Key = Ip("0.0.0.0"), Flags = 1 },
            new ElementSpec { Key = Ip("10.0.0.0") },
            new ElementSpec { Key = Ip("10.0.1.0"), Flags = 1 },
        }, e => new System.Net.IPAddress(e.Key!).ToString());
        batch.AddObject(NftFamily.Inet, "w1", "hits", 1, "counter", "", new NftPS.NfTables.Operations.ExpressionObjectBody(new NftPS.NfTables.Expressions.CounterExpression { Bytes = 0, Packets = 0 }));

        var result = conn.ExecuteBatch(batch, new BatchOptions());
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Describe())));
        string listing = _ns.NftListRuleset();
        Assert.Equal(
            "table inet w1 {\n" +
            "\tcomment \"made by NftPS\"\n" +
            "\tcounter hits {\n\t\tpackets 0 bytes 0\n\t}\n\n" +
            "\tset allow {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.1, 192.168.1.7 comment \"gw\" }\n\t}\n\n" +
            "\tset nets {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 10.0.0.0/24 }\n\t}\n\n" +
            "\tchain out {\n\t\ttype filter hook output priority filter - 10; policy drop;\n\t}\n\n" +
            "\tchain helper {\n\t\tcomment \"regular\"\n\t}\n" +
            "}\n",
            listing);
    }

    [KernelFact]
    public void ElementsBeyondOneAttributeAreSplitAcrossMessagesOfOneBatch()
    {
        _ns.Require();
        _ns.Flush();
        using var conn = NfTablesConnection.Open(_ns.Name);
        var batch = new NftBatch();
        batch.AddTable(NftFamily.Ip, "big");
        batch.AddSet(NftFamily.Ip, "big", new SetSpec { Name = "s", KeyType = 7, KeyLength = 4, SetId = 1 }, "type ipv4_addr;");
        var elements = Enumerable.Range(0, 20000).Select(i => new ElementSpec { Key = new byte[] { 10, (byte)(i >> 16), (byte)(i >> 8), (byte)i } });
        var ops = batch.AddElements(NftFamily.Ip, "big", "s", elements, _ => "…");
        Assert.True(ops.Count >= 5, $"20000 elements should need several messages, got {ops.Count}");
        var result = conn.ExecuteBatch(batch, new BatchOptions());
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Describe())));
        string listing = _ns.Nft("-j", "list", "set", "ip", "big", "s").EnsureSuccess("nft list set").StdOut;
        Assert.Equal(20000, System.Text.RegularExpressions.Regex.Matches(listing, "\"10\\.").Count);
    }
}
