using System.Globalization;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.NfTables.Operations;

/// <summary>add/create/delete/destroy/flush set or map. A new one holds its kernel description (<see cref="Spec"/>:
/// datatype ids, lengths, flags, timeout, size, policy, user data) and its body as nft writes it.</summary>
internal sealed record SetOperation : NftOperation
{
    private const uint AnonymousFlag = 0x1, MapFlags = 0x8 | 0x40; // NFT_SET_ANONYMOUS; NFT_SET_MAP, NFT_SET_OBJECT

    public SetOperation(NftVerb verb, NftFamily family, string table, string name) : base(verb, family)
    {
        Table = table;
        Name = name;
    }

    public string Table { get; }
    public string Name { get; }
    public ulong? Handle { get; init; }
    /// <summary>The new set (add/create); null for delete and flush.</summary>
    public SetSpec? Spec { get; init; }
    /// <summary>The body as nft writes it ("type ipv4_addr; flags interval;"), for display only.</summary>
    public string DefinitionText { get; init; } = "";
    /// <summary>Whether a set deleted or flushed is a map (the word the command uses).</summary>
    public bool IsMap { get; init; }

    public override NftObjectKind Kind => (Spec is { } s ? (s.Flags & MapFlags) != 0 : IsMap) ? NftObjectKind.Map : NftObjectKind.Set;
    public override bool IsImplied => Spec is { } s && (s.Flags & AnonymousFlag) != 0;
    private string KindText => Kind == NftObjectKind.Map ? "map" : "set";

    public override string ToCommandText() => Verb switch
    {
        NftVerb.Add or NftVerb.Create => $"{VerbText} {KindText} {FamilyText} {N(Table)} {N(Name)} {{ {DefinitionText} }}",
        NftVerb.Flush => $"flush {KindText} {FamilyText} {N(Table)} {N(Name)}",
        _ => $"{VerbText} {KindText} {FamilyText} {N(Table)} {(Handle is { } h ? $"handle {h}" : N(Name))}",
    };

    public override void Validate()
    {
        Require(Verb is NftVerb.Add or NftVerb.Create or NftVerb.Delete or NftVerb.Destroy or NftVerb.Flush, "this verb does not apply to a set");
        if (Verb is NftVerb.Add or NftVerb.Create)
        {
            Require(Spec is not null, "a new set needs its key type");
            Require(Spec!.Name == Name, "the set's description names another set");
            NftIdentifier.CheckName(KindText + " name", Name);
        }
        else Require(Handle is not null || !string.IsNullOrEmpty(Name), "a name or a handle is needed");
    }

    public bool Equals(SetOperation? other) =>
        other is not null && base.Equals(other) && Table == other.Table && Name == other.Name && Handle == other.Handle &&
        Kind == other.Kind && OperationEquality.SameSet(Spec, other.Spec);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Table, Name, Handle);
}

/// <summary>add/create/delete/destroy element: one message's worth of elements (a long list is split over several
/// operations, each within the 64 KiB attribute limit). Each element is held as the kernel stores it; its nft text
/// comes from <see cref="DescribeElement"/>, which is display only.</summary>
internal sealed record ElementOperation : NftOperation
{
    /// <summary>Elements named in <see cref="Describe"/> (errors); the rest are counted, so a refusal of a message
    /// holding thousands of elements stays a readable line.</summary>
    internal const int DescribedElements = 16;
    private const uint IntervalEndFlag = 1; // NFT_SET_ELEM_INTERVAL_END

    public ElementOperation(NftVerb verb, NftFamily family, string table, string set) : base(verb, family)
    {
        Table = table;
        Set = set;
    }

    public string Table { get; }
    public string Set { get; }
    /// <summary>Batch-local id of a set created earlier in the same batch.</summary>
    public uint? SetId { get; init; }
    public IReadOnlyList<ElementSpec> Elements { get; init; } = Array.Empty<ElementSpec>();
    public Func<ElementSpec, string> DescribeElement { get; init; } = _ => "?";
    /// <summary>The elements named together, as a set listing prints them (an interval's start and end element are
    /// one range, a map element shows its data): set where the set's types are known; else each goes through
    /// <see cref="DescribeElement"/>.</summary>
    public Func<IReadOnlyList<ElementSpec>, string>? DescribeElements { get; init; }
    /// <summary>The elements of a rule's anonymous set.</summary>
    public bool OfAnonymousSet { get; init; }
    /// <summary>The whole element list as the command wrote it (`{ 10.0.0.0/8, 22 : accept }`), display only: an
    /// interval is one element there but two here.</summary>
    public string? WrittenElements { get; init; }
    /// <summary>A further message of a command whose text another operation (the first message, or the set that
    /// declares the elements) already shows.</summary>
    public bool Continuation { get; init; }

    public override NftObjectKind Kind => NftObjectKind.Element;
    public override bool IsImplied => OfAnonymousSet || Continuation;

    public override string ToCommandText() =>
        WrittenElements is { } written ? $"{VerbText} element {FamilyText} {N(Table)} {N(Set)} {written}" : Text(Elements.Count);

    public override string Describe() => Text(DescribedElements);
    public override bool DescriptionIsWhole => WrittenElements is null && Elements.Count <= DescribedElements;

    private string Text(int shown)
    {
        // An interval's end element stays with its start, so a cut list does not show half a range.
        if (shown < Elements.Count && shown > 0 && (Elements[shown].Flags & IntervalEndFlag) != 0) shown++;
        string list = DescribeElements is { } describe
            ? describe(Elements.Take(shown).ToList())
            : string.Join(", ", Elements.Take(shown).Select(DescribeElement));
        if (Elements.Count > shown) list += $", … ({Elements.Count.ToString("N0", CultureInfo.InvariantCulture)} elements in this message)";
        return $"{VerbText} element {FamilyText} {N(Table)} {N(Set)} {{ {list} }}";
    }

    public override void Validate()
    {
        Require(Verb is NftVerb.Add or NftVerb.Create or NftVerb.Delete or NftVerb.Destroy, "this verb does not apply to elements");
        Require(Elements.Count > 0, "no elements are given");
    }

    public bool Equals(ElementOperation? other) =>
        other is not null && base.Equals(other) && Table == other.Table && Set == other.Set && SetId == other.SetId &&
        OfAnonymousSet == other.OfAnonymousSet && Elements.Count == other.Elements.Count &&
        Elements.Zip(other.Elements).All(p => OperationEquality.SameElement(p.First, p.Second));

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Table, Set, Elements.Count);
}

/// <summary>Elements that are keys and nothing else, packed back to back in one buffer (no object per element: what
/// most of the time of a million-element batch went to). The buffer must not change until the commit.</summary>
internal sealed record ElementKeysOperation : NftOperation
{
    public ElementKeysOperation(NftVerb verb, NftFamily family, string table, string set, ReadOnlyMemory<byte> keys, int keyLength)
        : base(verb, family)
    {
        Table = table;
        Set = set;
        Keys = keys;
        KeyLength = keyLength;
    }

    public string Table { get; }
    public string Set { get; }
    public uint? SetId { get; init; }
    public ReadOnlyMemory<byte> Keys { get; }
    public int KeyLength { get; }
    public KeyDescriber DescribeKey { get; init; } = k => "0x" + Convert.ToHexString(k).ToLowerInvariant();
    public int Count => KeyLength <= 0 ? 0 : Keys.Length / KeyLength;

    public override NftObjectKind Kind => NftObjectKind.Element;
    public override string ToCommandText() => Text(Count);
    public override string Describe() => Text(ElementOperation.DescribedElements);
    public override bool DescriptionIsWhole => Count <= ElementOperation.DescribedElements;

    private string Text(int shown)
    {
        var parts = new List<string>(Math.Min(Count, shown));
        for (int at = 0; at < Keys.Length && parts.Count < shown; at += KeyLength) parts.Add(DescribeKey(Keys.Span.Slice(at, KeyLength)));
        string list = string.Join(", ", parts);
        if (Count > shown) list += $", … ({Count.ToString("N0", CultureInfo.InvariantCulture)} elements in this message)";
        return $"{VerbText} element {FamilyText} {N(Table)} {N(Set)} {{ {list} }}";
    }

    public override void Validate()
    {
        Require(Verb is NftVerb.Add or NftVerb.Create or NftVerb.Delete or NftVerb.Destroy, "this verb does not apply to elements");
        if (KeyLength <= 0 || Keys.Length % KeyLength != 0)
            throw new ArgumentException($"The key buffer ({Keys.Length} bytes) is not a whole number of {KeyLength}-byte keys.", "keys");
    }

    public bool Equals(ElementKeysOperation? other) =>
        other is not null && base.Equals(other) && Table == other.Table && Set == other.Set && SetId == other.SetId &&
        KeyLength == other.KeyLength && Keys.Span.SequenceEqual(other.Keys.Span);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Table, Set, Keys.Length);
}
