using NftPS.NfTables;
using NftPS.NfTables.Writing;

namespace NftPS.Tests.Writing;

/// <summary>Element messages describe themselves only when asked (-WhatIf, errors), each naming its own elements.</summary>
public class BatchDescriptionTests
{
    [Fact]
    public void ElementDescriptionsAreWrittenOnlyWhenRead()
    {
        int described = 0;
        var batch = new NftBatch();
        var ops = batch.AddElements(NftFamily.Ip, "t", "s",
            new[] { new ElementSpec { Key = new byte[] { 10, 0, 0, 1 } }, new ElementSpec { Key = new byte[] { 10, 0, 0, 2 } } },
            e => { described++; return string.Join(".", e.Key!); });
        batch.Encode(1, new BatchOptions());
        Assert.Equal(0, described);
        Assert.Equal("add element ip t s { 10.0.0.1, 10.0.0.2 }", Assert.Single(ops).Description);
        Assert.Equal("add element ip t s { 10.0.0.1, 10.0.0.2 }", batch.ToString());
        Assert.Equal(2, described);
    }

    [Fact]
    public void EachSplitMessageDescribesItsOwnElements()
    {
        var elements = Enumerable.Range(0, 10_000).Select(i => new ElementSpec { Key = BitConverter.GetBytes(i) }).ToList();
        var ops = new NftBatch().AddElements(NftFamily.Ip, "t", "s", elements, e => BitConverter.ToInt32(e.Key!).ToString());
        Assert.True(ops.Count > 1);
        // Each message names its own first 16 elements and counts all of its own (a 4,000-element list in an error
        // message would be unreadable), so the messages together account for every element once, in order.
        int next = 0;
        foreach (var o in ops)
        {
            var m = System.Text.RegularExpressions.Regex.Match(o.Description, @"^add element ip t s \{ (?<first>[0-9, ]+), … \((?<n>[0-9,]+) elements in this message\) \}$");
            Assert.True(m.Success, o.Description);
            var first = m.Groups["first"].Value.Split(", ").Select(int.Parse).ToList();
            Assert.Equal(Enumerable.Range(next, 16), first);
            next += int.Parse(m.Groups["n"].Value.Replace(",", ""));
        }
        Assert.Equal(10_000, next);
    }

    [Fact]
    public void EncodeIntoAppendsTheSameBytesAsEncode()
    {
        var batch = new NftBatch();
        batch.AddTable(NftFamily.Inet, "filter");
        batch.AddElements(NftFamily.Ip, "t", "s", new[] { new ElementSpec { Key = new byte[] { 1, 2, 3, 4 } } }, _ => "1.2.3.4");
        var w = new NftPS.Netlink.NetlinkWriter(16);
        batch.EncodeInto(w, 7, new BatchOptions());
        Assert.Equal(batch.Encode(7, new BatchOptions()), w.ToArray());
    }
}
