using NftPS.Language;
using NftPS.Language.Printing;
using NftPS.NfTables.Model;

namespace NftPS.Tests.Language;

/// <summary>The listing order of set elements (nft's list_expr_sort: by value in the key's byte order, equal keys in
/// reverse kernel order, catch-all last) is the same whether the printer sorts by machine words or by BigInteger.</summary>
public class SetElementOrderTests
{
    [Theory]
    [InlineData(7u, 4u, null)]    // ipv4_addr, network order
    [InlineData(13u, 2u, null)]   // inet_service, network order
    [InlineData(19u, 4u, null)]   // mark, host order
    [InlineData(7u, 4u, 1u)]      // ipv4_addr declared host order in the user data
    [InlineData(8u, 16u, null)]   // ipv6_addr: too wide for a word, the BigInteger path
    public void ElementsListInNftOrder(uint keyType, uint keyLength, uint? byteOrder)
    {
        var random = new Random(42);
        var set = new NftSet { Table = "t", Name = "s", KeyType = keyType, KeyLength = keyLength, KeyByteOrder = byteOrder };
        for (int i = 0; i < 500; i++)
        {
            var key = new byte[keyLength];
            random.NextBytes(key);
            if (i % 7 == 0) key[0] = 0; // some small values
            set.Elements.Add(new NftSetElement { Key = key });
            if (i % 50 == 0) set.Elements.Add(new NftSetElement { Key = (byte[])key.Clone() }); // equal keys
        }
        set.Elements.Insert(100, new NftSetElement { Flags = 2 }); // catch-all

        var parts = SetElementPrinter.KeyParts(set);
        var expected = set.Elements.Where(e => !e.IsIntervalEnd).Reverse()
            .OrderBy(e => e.IsCatchAll || e.Key is null ? 1 : 0).ThenBy(e => SetElementPrinter.SortValue(e.Key, parts)).ToList();
        var actual = SetElementPrinter.DescribeElements(set, null).Select(x => x.Element).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Assert.Same(expected[i], actual[i]);
        Assert.Equal("*", SetElementPrinter.DescribeElements(set, null)[^1].Value);
    }
}
