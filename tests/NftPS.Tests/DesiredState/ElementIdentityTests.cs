using NftPS.DesiredState;
using NftPS.NfTables.Model;

namespace NftPS.Tests.DesiredState;

/// <summary>Element identities reference the element's key arrays instead of copying them: equal content is equal
/// whatever array holds it, the parts (flags, key, range end) never run into each other, and the flat form is the
/// one anonymous set contents are keyed by (flags, key length, key, end).</summary>
public class ElementIdentityTests
{
    private static NftSetElement E(uint flags, byte[]? key, byte[]? end = null) => new() { Flags = flags, Key = key, KeyEnd = end };

    [Fact]
    public void EqualContentInOtherArraysIsTheSameIdentity()
    {
        var a = ElementKeys.Identity(E(0, new byte[] { 10, 0, 0, 1 }));
        var b = ElementKeys.Identity(E(0, new byte[] { 10, 0, 0, 1 }));
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ElementKeys.Identity(E(1, new byte[] { 10, 0, 0, 1 })));
        Assert.NotEqual(a, ElementKeys.Identity(E(0, new byte[] { 10, 0, 0, 2 })));
    }

    [Fact]
    public void KeyAndRangeEndDoNotRunIntoEachOther()
    {
        var split1 = ElementKeys.Identity(E(0, new byte[] { 1, 2 }, new byte[] { 3 }));
        var split2 = ElementKeys.Identity(E(0, new byte[] { 1 }, new byte[] { 2, 3 }));
        Assert.NotEqual(split1, split2);
        var noEnd = ElementKeys.Identity(E(0, new byte[] { 1, 2, 3 }));
        Assert.NotEqual(noEnd, split1);
    }

    [Fact]
    public void ARangeIsNotASingleElementWithTheSameKeys()
    {
        var start = E(0, new byte[] { 10, 0, 0, 0 });
        var end = E(1, new byte[] { 10, 0, 1, 0 });
        var range = ElementKeys.Range(start, end);
        Assert.Equal(range, ElementKeys.Range(E(0, new byte[] { 10, 0, 0, 0 }), E(1, new byte[] { 10, 0, 1, 0 })));
        Assert.NotEqual(range, ElementKeys.Identity(E(0, new byte[] { 10, 0, 0, 0 }, new byte[] { 10, 0, 1, 0 })));
        Assert.NotEqual(range, ElementKeys.Identity(start));
        Assert.Equal(ElementKeys.Identity(start).Bytes.Concat(ElementKeys.Identity(end).Bytes), range.Bytes);
    }

    [Fact]
    public void FlatFormIsFlagsKeyLengthKeyAndEnd()
    {
        Assert.Equal(new byte[] { 1, 2, 7, 8, 9 }, ElementKeys.Identity(E(1 | 0x100, new byte[] { 7, 8 }, new byte[] { 9 })).Bytes);
        Assert.Equal(new byte[] { 2, 0 }, ElementKeys.Identity(E(2, null)).Bytes);
    }

    /// <summary>A large set comes in many messages; the simulation keeps one index across them (it used to index
    /// the whole set again per message) and still treats a repeated key as already there.</summary>
    [Fact]
    public void ElementsOverManyMessagesKeepOneOfEachKey()
    {
        var addresses = Enumerable.Range(0, 20_000).Select(i => $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}").ToList();
        string text = "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { " + string.Join(", ", addresses) + " }\n\t}\n}\n" +
            "add element ip t s { 10.0.0.1, 10.0.78.31, 192.0.2.1 }\n" +
            "delete element ip t s { 10.0.0.2 }\n" +
            "add element ip t s { 10.0.0.2 }\n";
        var desired = DesiredRuleset.FromText(text);
        var set = Assert.Single(desired.Model.Sets);
        Assert.Equal(20_001, set.Elements.Count);
        Assert.Equal(20_001, set.Elements.Select(e => new Guid(e.Key!.Concat(new byte[12]).ToArray())).Distinct().Count());
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, set.Elements[^2].Key);
        Assert.Equal(new byte[] { 10, 0, 0, 2 }, set.Elements[^1].Key);
    }
}
