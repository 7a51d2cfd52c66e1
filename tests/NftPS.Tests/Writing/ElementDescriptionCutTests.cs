using NftPS.NfTables;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Writing;

namespace NftPS.Tests.Writing;

/// <summary>A long element message is named by its first elements; an interval's end element is not cut from its start.</summary>
public class ElementDescriptionCutTests
{
    [Fact]
    public void TheDescriberGetsTheEndOfTheLastIntervalShown()
    {
        // Elements 0..17: starts at even positions, interval ends (flag 1) at odd ones; the 17th (index 16) is a start
        // and index 17 its end, so a cut after 16 would leave the last range open.
        var elements = Enumerable.Range(0, 18).Select(i => new ElementSpec { Key = new[] { (byte)i }, Flags = (uint)(i % 2) })
            .Prepend(new ElementSpec { Key = new byte[] { 99 } }).ToList(); // shifts the pairs: index 16 is an end
        IReadOnlyList<ElementSpec>? seen = null;
        var op = new ElementOperation(NftVerb.Delete, NftFamily.Ip, "t", "s")
        {
            Elements = elements,
            DescribeElements = list => { seen = list; return "listed"; },
        };
        string text = op.Describe();
        Assert.Equal(17, seen!.Count);
        Assert.Equal("delete element ip t s { listed, … (19 elements in this message) }", text);
    }

    [Fact]
    public void WithoutAListDescriberEachElementIsDescribed()
    {
        var op = new ElementOperation(NftVerb.Add, NftFamily.Ip, "t", "s")
        {
            Elements = new[] { new ElementSpec { Key = new byte[] { 1 } } },
            DescribeElement = e => "k" + e.Key![0],
        };
        Assert.Equal("add element ip t s { k1 }", op.Describe());
    }
}
