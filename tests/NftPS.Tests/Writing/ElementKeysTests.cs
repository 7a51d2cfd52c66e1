using NftPS.NfTables;
using NftPS.NfTables.Writing;

namespace NftPS.Tests.Writing;

/// <summary>Packed keys (AddElementKeys/DeleteElementKeys) encode exactly as key-only element specs do.</summary>
public class ElementKeysTests
{
    private static string Ip(ReadOnlySpan<byte> k) => $"{k[0]}.{k[1]}.{k[2]}.{k[3]}";

    [Theory]
    [InlineData(1, 4)]
    [InlineData(3750, 4)]   // exactly one full message
    [InlineData(3751, 4)]   // one more spills into a second
    [InlineData(10_000, 4)]
    [InlineData(5000, 2)]   // inet_service keys: padded to 4 bytes on the wire
    [InlineData(2000, 16)]  // ipv6_addr
    public void PackedKeysEncodeAsElementSpecs(int count, int keyLength)
    {
        var keys = new byte[count * keyLength];
        new Random(count).NextBytes(keys);
        var specs = Enumerable.Range(0, count).Select(i => new ElementSpec { Key = keys.AsSpan(i * keyLength, keyLength).ToArray() }).ToList();

        var expected = new NftBatch();
        var a = expected.AddElements(NftFamily.Ip, "t", "s", specs, e => Convert.ToHexString(e.Key!), setId: 7);
        expected.DeleteElements(NftFamily.Ip, "t", "s", specs, e => Convert.ToHexString(e.Key!));
        var actual = new NftBatch();
        var b = actual.AddElementKeys(NftFamily.Ip, "t", "s", keys, keyLength, k => Convert.ToHexString(k), setId: 7);
        actual.DeleteElementKeys(NftFamily.Ip, "t", "s", keys, keyLength, k => Convert.ToHexString(k));

        Assert.Equal(a.Count, b.Count);
        Assert.Equal(expected.Encode(100, new BatchOptions()), actual.Encode(100, new BatchOptions()));
        Assert.Equal(expected.ToString(), actual.ToString());
    }

    [Fact]
    public void DescriptionsAreNftText()
    {
        var batch = new NftBatch();
        batch.AddElementKeys(NftFamily.Ip, "t", "s", new byte[] { 10, 0, 0, 1, 10, 0, 0, 2 }, 4, Ip, create: true);
        Assert.Equal("create element ip t s { 10.0.0.1, 10.0.0.2 }", batch.ToString());
    }

    [Fact]
    public void KeysMustFillTheBuffer() =>
        Assert.Throws<ArgumentException>(() => new NftBatch().AddElementKeys(NftFamily.Ip, "t", "s", new byte[6], 4, Ip));
}
