using NftPS.Netlink;

namespace NftPS.Tests.Netlink;

public class NetlinkWriterTests
{
    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexString(b).ToLowerInvariant();

    [Fact]
    public void AddTableBatchMatchesNftBytes()
    {
        // The whole `nft add table ip t` sendmsg, as captured from nft 1.0.6 (NETLINK-NOTES §2).
        var w = new NetlinkWriter();
        int b = w.BeginMessage(0x10, 0x1, 0, 0, 10);
        w.EndMessage(b);
        int m = w.BeginMessage(0x0a00, 0x1, 1, 2);
        w.WriteString(1, "t");
        w.WriteBe32(2, 0u);
        w.EndMessage(m);
        int e = w.BeginMessage(0x11, 0x1, 2, 0, 10);
        w.EndMessage(e);
        Assert.Equal(
            "14000000100001000000000000000000" + "0000000a" +
            "24000000000a01000100000000000000" + "02000000" +
            "0600010074000000" + "0800020000000000" +
            "14000000110001000200000000000000" + "0000000a",
            Hex(w.WrittenSpan));
    }

    [Fact]
    public void NestedLengthsAreBackFilledAndFlagged()
    {
        var w = new NetlinkWriter();
        int outer = w.BeginNested(4);
        int inner = w.BeginNested(1);
        w.WriteString(1, "meta");
        w.EndNested(inner);
        w.EndNested(outer);
        Assert.Equal("14000480" + "10000180" + "090001006d65746100000000", Hex(w.WrittenSpan));
    }

    [Fact]
    public void ReaderWalksAttributesAndStripsFlags()
    {
        var w = new NetlinkWriter();
        w.WriteBe32(2, 0xfffffffcu);
        int n = w.BeginNested(4);
        w.WriteBe64(3, 0x0102030405060708UL);
        w.WriteU8(5, 7);
        w.EndNested(n);
        w.WriteString(1, "abc");

        var r = new NetlinkAttributeReader(w.WrittenSpan);
        Assert.True(r.TryRead(out var a1));
        Assert.Equal(2, a1.Type);
        Assert.Equal(-4, a1.GetBe32Signed());
        Assert.True(r.TryRead(out var a2));
        Assert.Equal(4, a2.Type);
        Assert.True(a2.HasNestedFlag);
        var nested = a2.GetNested();
        Assert.True(nested.TryRead(out var n1));
        Assert.Equal(0x0102030405060708UL, n1.GetBe64());
        Assert.True(nested.TryRead(out var n2));
        Assert.Equal(7, n2.GetU8());
        Assert.False(nested.TryRead(out _));
        Assert.True(r.TryRead(out var a3));
        Assert.Equal("abc", a3.GetString());
        Assert.True(a3.StringHasNul);
        Assert.False(r.TryRead(out _));
    }

    [Fact]
    public void ReaderRejectsTruncatedAttribute()
    {
        byte[] bad = { 0x10, 0x00, 0x01, 0x00, 0x01, 0x02 };
        Assert.Throws<InvalidDataException>(() =>
        {
            var r = new NetlinkAttributeReader(bad);
            r.TryRead(out _);
        });
    }

    [Fact]
    public void ErrorWithExtendedAckIsParsed()
    {
        // NLMSG_ERROR for seq 202 (NETLINK-NOTES §3): ENOENT with OFFS 20 pointing at NFTA_CHAIN_TABLE.
        byte[] msg = Convert.FromHexString(
            "4400000002000002ca00000001000000" + "feffffff" + "28000000030a0500ca00000000000000" +
            "0200000009000100" + "6e6f706500000000" + "0600030063000000" + "0800020014000000");
        var reader = new NetlinkMessageReader(msg);
        Assert.True(reader.TryRead(out var m));
        var err = NetlinkError.Parse(m);
        Assert.Equal(-2, err.Error);
        Assert.Equal(202u, err.Sequence);
        Assert.Equal(20, err.Offset);
    }
}
