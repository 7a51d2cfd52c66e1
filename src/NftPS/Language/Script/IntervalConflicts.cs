using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.NfTables.Writing;
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

    /// <summary>nft 1.0.6 also refuses, before sending, an interval that overlaps one already in the set ("interval
    /// overlaps with an existing one"); the same interval again is accepted. Both sides are given as the set holds
    /// them: interval starts, and ends flagged 1 that are one past the interval's last value. Returns the error, or
    /// null when nothing overlaps.</summary>
    public static string? OverlapWithExisting(IEnumerable<(byte[]? Key, uint Flags)> existing, IEnumerable<ElementSpec> added,
        DataType type, int lengthBits)
    {
        int len = (lengthBits + 7) / 8;
        var held = Ranges(existing, len);
        if (held.Count == 0) return null;
        foreach (var (lo, hi) in Ranges(added.Select(e => (e.Key, e.Flags)), len))
        {
            // Held intervals do not overlap each other, so sorted by start their ends are sorted too.
            int a = 0, b = held.Count;
            while (a < b)
            {
                int m = (a + b) / 2;
                if (held[m].Hi < lo) a = m + 1; else b = m;
            }
            if (a == held.Count) continue;
            var (heldLo, heldHi) = held[a];
            if (heldLo > hi || (heldLo == lo && heldHi == hi)) continue;
            return $"interval overlaps with an existing one: {Show(lo, hi, type, lengthBits)} overlaps {Show(heldLo, heldHi, type, lengthBits)}, " +
                   "which the set holds (give the set auto-merge to merge them)";
        }
        return null;
    }

    private static List<(BigInteger Lo, BigInteger Hi)> Ranges(IEnumerable<(byte[]? Key, uint Flags)> elements, int len)
    {
        BigInteger max = (BigInteger.One << (len * 8)) - 1;
        var keys = elements.Where(e => e.Key is not null && (e.Flags & 2) == 0)
            .Select(e => (Value: new BigInteger(e.Key!, isUnsigned: true, isBigEndian: true), End: (e.Flags & 1) != 0))
            // At one key an end (one past the interval before) closes before a start opens.
            .OrderBy(k => k.Value).ThenBy(k => k.End ? 0 : 1).ToList();
        var ranges = new List<(BigInteger, BigInteger)>();
        BigInteger? start = null;
        foreach (var (value, end) in keys)
        {
            if (!end)
            {
                if (start is { } open && value > open) ranges.Add((open, value - 1));
                start = value;
            }
            else if (start is { } open)
            {
                ranges.Add((open, value - 1));
                start = null;
            }
        }
        if (start is { } last) ranges.Add((last, max));
        return ranges;
    }

    private static string Show(BigInteger lo, BigInteger hi, DataType type, int lengthBits)
    {
        string One(BigInteger v) => ValueFormatter.Format(new Constant(type, ByteOrder.BigEndian, lengthBits, v));
        return lo == hi ? One(lo) : One(lo) + "-" + One(hi);
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
