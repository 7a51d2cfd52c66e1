using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Syntax;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Writing;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Linearize;

public sealed partial class RuleLinearizer
{
    private const uint SetAnonymous = 0x1, SetConstant = 0x2, SetInterval = 0x4, SetMap = 0x8, SetConcat = 0x80;

    /// <summary>The set a lookup names: a named set, or a new anonymous set created for the literal.</summary>
    private (string Name, uint? Id) SetTarget(Node set, Node key, MapLookupNode? map)
    {
        if (set is SetRefNode r) return (r.Name, null);
        var literal = (SetNode)set;
        var spec = AnonymousSetBuilder.Build(literal, key, map, _ctx.Ids.NextSetId());
        _sets.Add(spec);
        return (spec.Set.Name, spec.Set.SetId);
    }
}

/// <summary>Builds the NEWSET and NEWSETELEM contents for an anonymous set or map the way nft 1.0.6 sends them.</summary>
public static class AnonymousSetBuilder
{
    public static (SetSpec Set, IReadOnlyList<ElementSpec> Elements) Build(SetNode literal, Node key, MapLookupNode? map, uint setId)
    {
        bool isMap = map is not null;
        bool verdictMap = isMap && map!.Type == T.Verdict;
        var keyItems = key is ConcatNode kc ? kc.Items : new List<Node> { key };
        bool concat = key is ConcatNode;
        bool interval = literal.Elements.Any(e => IsInterval(KeyOf(e)));
        uint flags = 0x1 | 0x2 | (interval ? 0x4u : 0) | (isMap ? 0x8u : 0) | (interval && concat ? 0x80u : 0);
        uint keyType = concat ? DataTypeRegistry.ConcatTypeId(keyItems.Select(i => i.Type.Id)) : (uint)key.Type.Id;
        uint keyLen = concat ? (uint)keyItems.Sum(i => (i.LengthBits + 31) / 32 * 4) : (uint)((key.LengthBits + 7) / 8);
        var ud = new UserDataWriter();
        ud.U32(0, concat ? 0u : (uint)(key.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : key.ByteOrder));
        uint? dataType = null, dataLen = null;
        if (isMap)
        {
            if (verdictMap) { dataType = 0xffffff00; dataLen = 0; }
            else
            {
                var d = map!;
                dataType = (uint)d.Type.Id;
                dataLen = (uint)((d.LengthBits + 7) / 8);
                ud.U32(1, (uint)(d.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : d.ByteOrder));
            }
        }
        if (interval) ud.U32(2, 1);
        if (Typeof(key) is { } typeofBytes) ud.Raw(3, typeofBytes);
        var spec = new SetSpec
        {
            Name = isMap ? "__map%d" : "__set%d",
            Flags = flags,
            KeyType = keyType,
            KeyLength = keyLen,
            DataType = dataType,
            DataLength = dataLen,
            Size = (uint)literal.Elements.Count,
            ConcatFieldLengths = interval && concat ? keyItems.Select(i => (uint)((i.LengthBits + 7) / 8)).ToArray() : null,
            SetId = setId,
            UserData = ud.ToArray(),
        };
        return (spec, Elements(literal, key, isMap, interval, concat));
    }

    /// <summary>typeof user data for keys that are plain expressions (payload, meta, ct).</summary>
    internal static byte[]? Typeof(Node key)
    {
        var data = new UserDataWriter();
        uint kind;
        switch (key)
        {
            case PayloadNode { Raw: false, Header: { } h, Field: { } f }:
                kind = 7; data.U32(0, (uint)h.Id).U32(1, (uint)f.Index); break;
            case MetaNode m:
                kind = 9; data.U32(0, (uint)m.Key.Key); break;
            case CtNode ct:
                kind = 12; data.U32(0, (uint)ct.Key.Key);
                if (ct.Direction is int d) data.U32(1, (uint)d);
                break;
            default: return null;
        }
        return new UserDataWriter().U32(0, kind).Raw(1, data.ToArray()).ToArray();
    }

    private static Node KeyOf(Node e) => e switch
    {
        MappingNode m => KeyOf(m.Key),
        SetElementNode s => s.Key,
        _ => e,
    };

    private static bool IsInterval(Node k) => k is RangeNode or PrefixNode || (k is ConcatNode c && c.Items.Any(IsInterval));

    private static (BigInteger Lo, BigInteger Hi) Bounds(Node k, int lenBytes)
    {
        switch (k)
        {
            case RangeNode r:
                return (Num(RuleLinearizer.ValueBytes(r.Low, r.LengthBits)), Num(RuleLinearizer.ValueBytes(r.High, r.LengthBits)));
            case PrefixNode p:
            {
                BigInteger v = Num(RuleLinearizer.ValueBytes(p.Inner, p.LengthBits));
                int bits = lenBytes * 8;
                BigInteger host = (BigInteger.One << (bits - p.PrefixLength)) - 1;
                BigInteger lo = v & ~host & ((BigInteger.One << bits) - 1);
                return (lo, lo | host);
            }
            default:
            {
                var v = Num(RuleLinearizer.ValueBytes(k, k.LengthBits));
                return (v, v);
            }
        }
    }

    private static BigInteger Num(byte[] b) => new(b, isUnsigned: true, isBigEndian: true);

    private static byte[] Bytes(BigInteger v, int len)
    {
        var r = new byte[len];
        byte[] le = v.IsZero ? Array.Empty<byte>() : v.ToByteArray(isUnsigned: true, isBigEndian: false);
        for (int i = 0; i < Math.Min(le.Length, len); i++) r[len - 1 - i] = le[i];
        return r;
    }

    private static ElementSpec WithData(ElementSpec e, Node element)
    {
        if (element is MappingNode m)
        {
            e = m.Value is VerdictNode v
                ? e with { Verdict = VerdictOf(v) }
                : e with { Data = RuleLinearizer.ValueBytes(m.Value, m.Value.LengthBits) };
            element = m.Key;
        }
        if (element is SetElementNode s)
        {
            e = e with { TimeoutMs = s.TimeoutMs, ExpirationMs = s.ExpiresMs, Comment = s.Comment };
            if (s.Statements.Count > 0)
                e = e with { Expressions = s.Statements.OfType<ActionStatement>().Select(StatementExpression).ToList() };
        }
        return e;
    }

    internal static Expression StatementExpression(ActionStatement a) => a.Kind switch
    {
        "counter" => new CounterExpression { Packets = a.Get<ulong?>("packets"), Bytes = a.Get<ulong?>("bytes") },
        "limit" => RuleLinearizer.Limit(a.Options, a.Span),
        "quota" => RuleLinearizer.Quota(a.Options, a.Span),
        _ => throw new NftEvaluationException(a.Span, $"{a.Kind} is not supported in a set element"),
    };

    internal static NftVerdict VerdictOf(VerdictNode v) => v.Verdict switch
    {
        "accept" => new NftVerdict(VerdictCode.Accept), "drop" => new NftVerdict(VerdictCode.Drop),
        "continue" => new NftVerdict(VerdictCode.Continue), "return" => new NftVerdict(VerdictCode.Return),
        "jump" => new NftVerdict(VerdictCode.Jump, v.Chain), "goto" => new NftVerdict(VerdictCode.Goto, v.Chain),
        _ => new NftVerdict(VerdictCode.Queue),
    };

    internal static List<ElementSpec> Elements(SetNode literal, Node key, bool isMap, bool interval, bool concat, bool mergeAdjacent = false)
    {
        var result = new List<ElementSpec>();
        if (!interval)
        {
            foreach (var e in literal.Elements)
            {
                var k = KeyOf(e);
                if (k is CatchAllNode) { result.Add(WithData(new ElementSpec { Flags = 2 }, e)); continue; }
                result.Add(WithData(new ElementSpec { Key = RuleLinearizer.ValueBytes(k, key.LengthBits) }, e));
            }
            return result;
        }
        if (concat)
        {
            var items = ((ConcatNode)key).Items;
            foreach (var e in literal.Elements)
            {
                var k = (ConcatNode)KeyOf(e);
                var lo = new List<byte>();
                var hi = new List<byte>();
                for (int i = 0; i < k.Items.Count; i++)
                {
                    int len = (items[i].LengthBits + 7) / 8;
                    int padded = (len + 3) / 4 * 4;
                    var (l, h) = Bounds(k.Items[i], len);
                    lo.AddRange(Bytes(l, len)); lo.AddRange(new byte[padded - len]);
                    hi.AddRange(Bytes(h, len)); hi.AddRange(new byte[padded - len]);
                }
                result.Add(WithData(new ElementSpec { Key = lo.ToArray(), KeyEnd = hi.ToArray() }, e));
            }
            return result;
        }
        int keyLen = (key.LengthBits + 7) / 8;
        var ranges = literal.Elements.Select(e => (Bounds: Bounds(KeyOf(e), keyLen), Element: e)).OrderBy(x => x.Bounds.Lo).ToList();
        // Overlapping ranges are merged, as nft's segtree does for constant sets.
        var merged = new List<(BigInteger Lo, BigInteger Hi, Node Element)>();
        foreach (var (b, e) in ranges)
        {
            if (merged.Count > 0 && (b.Lo <= merged[^1].Hi || (mergeAdjacent && b.Lo == merged[^1].Hi + 1)) && !isMap)
            {
                var last = merged[^1];
                merged[^1] = (last.Lo, BigInteger.Max(last.Hi, b.Hi), last.Element);
            }
            else merged.Add((b.Lo, b.Hi, e));
        }
        BigInteger max = (BigInteger.One << (keyLen * 8)) - 1;
        if (merged.Count > 0 && merged[0].Lo != 0)
            result.Add(new ElementSpec { Key = new byte[keyLen], Flags = 1 });
        for (int i = 0; i < merged.Count; i++)
        {
            var (lo, hi, e) = merged[i];
            result.Add(WithData(new ElementSpec { Key = Bytes(lo, keyLen) }, e));
            bool nextStartsRightAfter = i + 1 < merged.Count && merged[i + 1].Lo == hi + 1;
            if (hi < max && !nextStartsRightAfter)
                result.Add(new ElementSpec { Key = Bytes(hi + 1, keyLen), Flags = 1 });
        }
        return result;
    }
}
