using NftPS.Netlink;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.NfTables.Printing;

/// <summary>The stateful statements that sets and elements carry (counter, limit, quota, connlimit), printed as
/// nft 1.0.6 does. Rule statements are the language layer's business.</summary>
public static class StatementPrinter
{
    /// <summary>The statements declared on a set, printed stateless as nft always prints them there.</summary>
    public static IReadOnlyList<string> SetStatements(NftSet set)
    {
        var texts = new List<string>();
        if (set.RawExpressions is { } list) Each(list, (name, data) => texts.Add(Text(name, data, stateless: true)));
        else if (set.RawExpression is { } one)
        {
            NftMessageDecoder.ReadExpression(one, out string name, out var data);
            texts.Add(Text(name, data, stateless: true));
        }
        return texts;
    }

    /// <summary>The statements of one element, in kernel order.</summary>
    public static IReadOnlyList<string> ElementStatements(NftSetElement element, bool stateless)
    {
        var texts = new List<string>();
        if (element.RawExpressions is not { } raw) return texts;
        if (element.RawExpressionIsSingle)
        {
            NftMessageDecoder.ReadExpression(raw, out string name, out var data);
            texts.Add(Text(name, data, stateless));
        }
        else Each(raw, (name, data) => texts.Add(Text(name, data, stateless)));
        return texts;
    }

    private delegate void ExpressionVisitor(string name, ReadOnlySpan<byte> data);

    private static void Each(ReadOnlySpan<byte> list, ExpressionVisitor visit)
    {
        var r = new NetlinkAttributeReader(list);
        while (r.TryRead(out var elem))
        {
            if (elem.Type != 1) continue;
            NftMessageDecoder.ReadExpression(elem.Payload, out string name, out var data);
            visit(name, data);
        }
    }

    public static string Text(string name, ReadOnlySpan<byte> data, bool stateless)
    {
        var r = new NetlinkAttributeReader(data);
        switch (name)
        {
            case "counter":
            {
                ulong bytes = 0, packets = 0;
                while (r.TryRead(out var a))
                {
                    if (a.Type == 1) bytes = a.GetBe64();
                    else if (a.Type == 2) packets = a.GetBe64();
                }
                return stateless ? "counter" : $"counter packets {packets} bytes {bytes}";
            }
            case "limit":
            {
                ulong rate = 0, unit = 0;
                uint burst = 0, type = 0, flags = 0;
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: rate = a.GetBe64(); break;
                        case 2: unit = a.GetBe64(); break;
                        case 3: burst = a.GetBe32(); break;
                        case 4: type = a.GetBe32(); break;
                        case 5: flags = a.GetBe32(); break;
                    }
                }
                string over = (flags & 1) != 0 ? "over " : "";
                if (type == 1)
                {
                    string text = $"limit rate {over}{NamedObjectBody.FormatBytes(rate)}/{NamedObjectBody.TimeUnit(unit)}";
                    return burst > 0 ? text + " burst " + NamedObjectBody.FormatBytes(burst) : text;
                }
                string pkts = $"limit rate {over}{rate}/{NamedObjectBody.TimeUnit(unit)}";
                return burst > 0 && burst != 5 ? pkts + $" burst {burst} packets" : pkts;
            }
            case "quota":
            {
                ulong bytes = 0, consumed = 0;
                uint flags = 0;
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: bytes = a.GetBe64(); break;
                        case 2: flags = a.GetBe32(); break;
                        case 4: consumed = a.GetBe64(); break;
                    }
                }
                string text = "quota " + ((flags & 1) != 0 ? "over " : "") + NamedObjectBody.FormatBytes(bytes);
                return !stateless && consumed > 0 ? text + " used " + NamedObjectBody.FormatBytes(consumed) : text;
            }
            case "connlimit":
            {
                uint count = 0, flags = 0;
                while (r.TryRead(out var a))
                {
                    if (a.Type == 1) count = a.GetBe32();
                    else if (a.Type == 2) flags = a.GetBe32();
                }
                return $"ct count {((flags & 1) != 0 ? "over " : "")}{count}";
            }
            default:
                return name;
        }
    }
}
