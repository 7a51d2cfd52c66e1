using NftPS.Netlink;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Language.Printing;

/// <summary>The stateful statements that sets and elements carry (counter, limit, quota, connlimit), printed as
/// nft 1.0.6 does. Rule statements are the language layer's business.</summary>
internal static class StatementPrinter
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

    /// <summary>A stateful statement of a set element, decoded by its expression type (the same decoders rules use).</summary>
    public static string Text(string name, ReadOnlySpan<byte> data, bool stateless)
    {
        switch (name)
        {
            case "counter":
            {
                var c = CounterExpression.DecodeData(data);
                return stateless ? "counter" : $"counter packets {c.Packets ?? 0} bytes {c.Bytes ?? 0}";
            }
            case "limit":
            {
                var l = LimitExpression.DecodeData(data);
                uint burst = l.Burst ?? 0;
                string over = (l.Flags.GetValueOrDefault() & LimitFlags.Invert) != 0 ? "over " : "";
                if (l.Type == LimitType.Bytes)
                {
                    string text = $"limit rate {over}{NamedObjectBody.FormatBytes(l.Rate)}/{NamedObjectBody.TimeUnit(l.Unit)}";
                    return burst > 0 ? text + " burst " + NamedObjectBody.FormatBytes(burst) : text;
                }
                string pkts = $"limit rate {over}{l.Rate}/{NamedObjectBody.TimeUnit(l.Unit)}";
                return burst > 0 && burst != 5 ? pkts + $" burst {burst} packets" : pkts;
            }
            case "quota":
            {
                var q = QuotaExpression.DecodeData(data);
                ulong consumed = q.Consumed ?? 0;
                string text = "quota " + ((q.Flags.GetValueOrDefault() & QuotaFlags.Invert) != 0 ? "over " : "") + NamedObjectBody.FormatBytes(q.Bytes);
                return !stateless && consumed > 0 ? text + " used " + NamedObjectBody.FormatBytes(consumed) : text;
            }
            case "last":
            {
                var l = LastExpression.DecodeData(data);
                return Language.Printing.StatementText.Last((l.Set ?? 0) != 0, l.Milliseconds ?? 0, stateless);
            }
            case "connlimit":
            {
                var c = ConnlimitExpression.DecodeData(data);
                return $"ct count {((c.Flags.GetValueOrDefault() & ConnlimitFlags.Invert) != 0 ? "over " : "")}{c.Count}";
            }
            default:
                return name;
        }
    }
}
