using System.Numerics;
using NftPS.Language.Protocols;
using NftPS.Language.Syntax;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Evaluate;

/// <summary>nft 1.0.6's rule_postprocess (stmt_reduce in rule.c): equality matches of adjacent, byte-aligned header
/// fields become one wider load and compare (`tcp sport 1 tcp dport 2` loads 4 bytes at transport offset 0).</summary>
internal sealed partial class RuleEvaluator
{
    private const int RegisterBits = 128, Register32Bits = 32;

    private static void MergeAdjacentPayloadMatches(List<StatementNode> statements)
    {
        var run = new List<MatchStatement>();
        foreach (var s in statements.ToList())
        {
            if (s is not MatchStatement m)
            {
                // As in nft, a lone candidate stays in the run across other statements.
                if (run.Count < 2) continue;
                Merge(statements, run);
                run.Clear();
                continue;
            }
            if (IsCandidate(m)) run.Add(m);
        }
        if (run.Count > 1) Merge(statements, run);
    }

    private static bool IsCandidate(MatchStatement m) =>
        m.Left is PayloadNode { Inner: null } p && m.Right is ValueNode { StringBytes: null }
        && m.Op is RelOp.Implicit or RelOp.Eq or RelOp.Neq
        && !(m.Op == RelOp.Implicit && p.Type.BaseType == T.Bitmask)
        && Start(p) % 8 == 0 && p.LengthBits % 8 == 0 && p.LengthBits > 0;

    private static int Start(PayloadNode p) => p.OffsetBits + p.ExtraOffsetBits;

    private static bool SortsAfter(MatchStatement x, MatchStatement y)
    {
        var (a, b) = ((PayloadNode)x.Left, (PayloadNode)y.Left);
        return (int)a.Base != (int)b.Base ? (int)a.Base > (int)b.Base : Start(a) > Start(b);
    }

    private static void Merge(List<StatementNode> statements, List<MatchStatement> run)
    {
        // By base, then offset; stable (equal keys keep their order) like OrderBy/ThenBy, without its sorter objects.
        var sorted = new List<MatchStatement>(run);
        for (int i = 1; i < sorted.Count; i++)
            for (int j = i; j > 0 && SortsAfter(sorted[j - 1], sorted[j]); j--)
                (sorted[j - 1], sorted[j]) = (sorted[j], sorted[j - 1]);
        var protocol = new HashSet<MatchStatement>(sorted.Where(m => IsProtocolField((PayloadNode)m.Left)));
        var last = sorted[0];
        for (int i = 1; i < sorted.Count; i++)
        {
            var current = sorted[i];
            var a = (PayloadNode)last.Left;
            var b = (PayloadNode)current.Left;
            if (!CanMerge(a, b) || Normal(last.Op) != Normal(current.Op))
            {
                last = current;
                continue;
            }
            var joined = new PayloadNode
            {
                Raw = true, Base = a.Base, OffsetBits = Start(a), LengthBits = a.LengthBits + b.LengthBits,
                Type = T.Integer, ByteOrder = DataTypes.ByteOrder.BigEndian, Span = a.Span.To(b.Span),
            };
            var va = (ValueNode)last.Right;
            var vb = (ValueNode)current.Right;
            var value = new ValueNode
            {
                Value = (va.Value << b.LengthBits) | vb.Value, Type = T.Integer, LengthBits = joined.LengthBits,
                ByteOrder = DataTypes.ByteOrder.BigEndian, Span = va.Span.To(vb.Span),
            };
            // The statement that checks a protocol field keeps the merged match, so the protocol is still tested
            // before anything that depends on it.
            var (keep, drop) = protocol.Contains(current) ? (current, last) : (last, current);
            if (protocol.Contains(current)) protocol.Add(keep);
            keep.Left = joined;
            keep.Right = value;
            keep.Span = keep.Span.To(drop.Span);
            statements.Remove(drop);
            last = keep;
        }
    }

    private static RelOp Normal(RelOp op) => op == RelOp.Implicit ? RelOp.Eq : op;

    private static bool IsProtocolField(PayloadNode p) =>
        p.Header is { ProtocolKey: >= 0 } h && p.Field is not null && h.ProtocolKey < h.Fields.Count && h.Fields[h.ProtocolKey] == p.Field;

    /// <summary>payload_can_merge: adjacent, byte aligned, fits a register; wider than 32 bits only where the
    /// kernel's fast path is lost anyway (link layer, or a part already wider).</summary>
    private static bool CanMerge(PayloadNode a, PayloadNode b)
    {
        if (a.Base != b.Base || Start(a) + a.LengthBits != Start(b)) return false;
        int total = a.LengthBits + b.LengthBits;
        if (total > RegisterBits) return false;
        if (total <= Register32Bits) return true;
        if (a.Base == ProtoBase.LinkLayer) return true;
        return a.LengthBits > Register32Bits || b.LengthBits > Register32Bits;
    }
}
