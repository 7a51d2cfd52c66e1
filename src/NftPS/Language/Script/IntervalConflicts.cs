using System.Numerics;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;

namespace NftPS.Language.Script;

/// <summary>nft 1.0.6 refuses intervals that overlap within one command on a named interval set without auto-merge
/// ("conflicting intervals specified", both elements marked); identical intervals are one element, and with
/// auto-merge overlapping and adjacent ones are merged. Without this check the encoder's merge kept one of the two
/// silently.</summary>
internal static class IntervalConflicts
{
    public static void Check(SetNode literal, Node key)
    {
        int keyLen = (key.LengthBits + 7) / 8;
        var ranges = new List<(BigInteger Lo, BigInteger Hi, Node Element)>(literal.Elements.Count);
        foreach (var e in literal.Elements)
        {
            var k = KeyOf(e);
            if (k is CatchAllNode) continue;
            var (lo, hi) = AnonymousSetBuilder.Bounds(k, keyLen);
            ranges.Add((lo, hi, e));
        }
        ranges.Sort((a, b) => a.Lo != b.Lo ? a.Lo.CompareTo(b.Lo) : a.Hi.CompareTo(b.Hi));
        for (int i = 1; i < ranges.Count; i++)
        {
            var (prevLo, prevHi, prev) = ranges[i - 1];
            var (lo, hi, e) = ranges[i];
            if (lo == prevLo && hi == prevHi) continue;
            if (lo <= prevHi)
            {
                var (first, second) = prev.Span.Offset <= e.Span.Offset || prev.Span.Source != e.Span.Source ? (prev, e) : (e, prev);
                if (second.Span.Source is null) (first, second) = (second, first);
                throw new NftEvaluationException(second.Span,
                    $"conflicting intervals specified: {Shown(second)} overlaps {Shown(first)} (give the set auto-merge to merge them)");
            }
        }
    }

    private static string Shown(Node e)
    {
        var k = KeyOf(e);
        return k.Span.Source is null ? k.ToString() ?? "" : k.Span.Text;
    }

    private static Node KeyOf(Node e) => e switch
    {
        MappingNode m => KeyOf(m.Key),
        SetElementNode s => s.Key,
        _ => e,
    };
}
