using NftPS.NfTables.Model;
using NftPS.Language.Printing;
using NftPS.NfTables.Reading;

namespace NftPS.Tests.Model;

public class UserDataTests
{
    internal static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "").Replace("\n", ""));

    // set `typeof ip saddr; flags interval; auto-merge; comment "sc"` as nft 1.0.6 wrote it (NETLINK-NOTES §6).
    private const string TypeofSetUserData =
        "00 04 02 00 00 00 02 04 01 00 00 00 03 14 00 04 07 00 00 00 01 0c 00 04 0c 00 00 00 01 04 0b 00 00 00 07 03 73 63 00";

    [Fact]
    public void ReadsSetUserData()
    {
        var set = new NftSet();
        NftMessageDecoder.DecodeSetUserData(Hex(TypeofSetUserData), set);
        Assert.Equal(2u, set.KeyByteOrder);
        Assert.True(set.AutoMerge);
        Assert.Equal("sc", set.Comment);
        Assert.Equal(Hex("00 04 07 00 00 00 01 0c 00 04 0c 00 00 00 01 04 0b 00 00 00"), set.KeyTypeof);
        Assert.Equal("ip saddr", SetTypePrinter.TypeofText(set.KeyTypeof));
    }

    [Fact]
    public void WritesTheSameBytesWithNests()
    {
        var w = new UserDataWriter();
        w.WriteU32(UserData.SetKeyByteOrder, 2);
        w.WriteU32(UserData.SetMergeElements, 1);
        w.BeginNest(UserData.SetKeyTypeof).WriteU32(0, 7).BeginNest(1).WriteU32(0, 12).WriteU32(1, 11).EndNest().EndNest();
        w.WriteString(UserData.SetComment, "sc");
        Assert.Equal(Hex(TypeofSetUserData), w.ToArray());
    }

    [Fact]
    public void CommentIsTypeZeroWithNul()
    {
        Assert.Equal(Hex("00 03 68 69 00"), UserData.FromComment("hi"));
        Assert.Equal("hi", UserData.GetComment(Hex("00 03 68 69 00")));
        Assert.Null(UserData.GetComment(Hex("01 04 01 00 00 00")));
    }

    [Fact]
    public void TruncatedTlvStopsTheWalk()
    {
        var r = new UserDataReader(Hex("00 03 68 69 00 07 09 41"));
        Assert.True(r.TryRead(out byte type, out var value));
        Assert.Equal(0, type);
        Assert.Equal(3, value.Length);
        Assert.False(r.TryRead(out _, out _));
        Assert.False(r.IsWellFormed);
    }

    [Theory]
    [InlineData("00 04 09 00 00 00 01 06 00 04 03 00 00 00", "meta mark")]
    [InlineData("00 04 07 00 00 00 01 0c 00 04 08 00 00 00 01 04 02 00 00 00", "tcp dport")]
    [InlineData("00 04 0c 00 00 00 01 0c 00 04 00 00 00 00 01 04 ff ff ff ff", "ct state")]
    [InlineData("00 04 09 00 00 00 01 06 00 04 06 00 00 00", "iifname")]
    public void TypeofTexts(string bytes, string text) => Assert.Equal(text, SetTypePrinter.TypeofText(Hex(bytes)));

    [Fact]
    public void EmptyConcatTypeofFallsBackToType()
    {
        // nft 1.0.6 writes a useless {concat, empty} typeof for `type ipv4_addr . inet_service`.
        var set = new NftSet { KeyType = 0x1cd };
        NftMessageDecoder.DecodeSetUserData(Hex("00 04 00 00 00 00 03 08 00 04 0d 00 00 00 01 00"), set);
        Assert.Equal(0u, set.KeyByteOrder);
        Assert.Equal("type ipv4_addr . inet_service", SetTypePrinter.Print(set));
    }

    [Fact]
    public void WriterRefusesOversizedData()
    {
        var w = new UserDataWriter();
        Assert.Throws<ArgumentException>(() => w.WriteBytes(0, new byte[256]));
    }
}
