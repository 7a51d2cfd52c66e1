using NftPS.NfTables.Model;
using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Evaluate;
using NftPS.Language.Protocols;
using NftPS.Language.Syntax;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Writing;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Linearize;

internal sealed partial class RuleLinearizer
{
    private const uint SetAnonymous = 0x1, SetConstant = 0x2, SetInterval = 0x4, SetMap = 0x8, SetConcat = 0x80;

    private bool IsIntervalTarget(Node set) => set switch
    {
        SetRefNode named => _ctx.FindSet(named.Name)?.IsInterval == true,
        SetNode lit => lit.Elements.Any(e => AnonymousSetBuilder.IsIntervalElement(e)),
        _ => false,
    };

    /// <summary>The set a lookup names: a named set, or a new anonymous set created for the literal.</summary>
    /// <summary>The byteorder element size nft picks for a conversion of <paramref name="len"/> bytes: 8 when the
    /// length is a multiple of 64 bits, 4 of 32, else 2 (a 64-bit `ct bytes` is swapped as one 8-byte word).</summary>
    private static uint UnarySize(int len) => len * 8 % 64 == 0 ? 8u : len * 8 % 32 == 0 ? 4u : 2u;

    private (string Name, uint? Id) SetTarget(Node set, Node key, MapLookupNode? map, uint keyRegister, uint? objectType = null)
    {
        if (set is SetRefNode && key is not ConcatNode) ShiftIntoPlace(key, keyRegister);
        // Interval sets hold their keys in network order (nft's segtree switches host-order values), so a host-order
        // key is converted in the register before the lookup.
        if (key.ByteOrder == ByteOrder.Host && !key.Type.IsString && key is not ConcatNode)
        {
            bool interval = set switch
            {
                SetRefNode named => _ctx.FindSet(named.Name)?.IsInterval == true,
                SetNode lit => lit.Elements.Any(e => AnonymousSetBuilder.IsIntervalElement(e)),
                _ => false,
            };
            int len = (key.LengthBits + 7) / 8;
            if (interval && len > 1)
                _exprs.Add(new ByteorderExpression { SourceRegister = keyRegister, DestinationRegister = keyRegister,
                    Operator = ByteorderOperator.HostToNetwork, Length = (uint)len, Size = UnarySize(len) });
        }
        // The same for the host-order items of a concatenated interval key, one-byte ones included (`meta l4proto`
        // becomes hton(reg, 2, 1)): nft converts each right after its load (byteorder_conversion on a concatenation).
        if (key is ConcatNode kc && _concatItemEnds.TryGetValue(kc, out var ends) && IsIntervalTarget(set))
        {
            for (int i = ends.Count - 1; i >= 0; i--)
            {
                var (item, reg, end) = ends[i];
                int len = (item.LengthBits + 7) / 8;
                if (item.ByteOrder != ByteOrder.Host || item.Type.IsString) continue;
                _exprs.Insert(end, new ByteorderExpression { SourceRegister = reg, DestinationRegister = reg,
                    Operator = ByteorderOperator.HostToNetwork, Length = (uint)len, Size = UnarySize(len) });
            }
        }
        if (set is SetRefNode r) return (r.Name, null);
        var literal = (SetNode)set;
        var spec = objectType is { } ot
            ? AnonymousSetBuilder.BuildObjectMap(literal, key, ot, _ctx.Ids.NextSetId())
            : AnonymousSetBuilder.Build(literal, key, map, _ctx.Ids.NextSetId());
        _sets.Add(spec);
        return (spec.Set.Name, spec.Set.SetId);
    }
}

/// <summary>Builds the NEWSET and NEWSETELEM contents for an anonymous set or map the way nft 1.0.6 sends them.</summary>
internal static class AnonymousSetBuilder
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
        ud.WriteU32(0, concat ? 0u : (uint)(key.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : key.ByteOrder));
        uint? dataType = null, dataLen = null;
        bool dataInterval = false;
        if (isMap)
        {
            if (verdictMap) { dataType = 0xffffff00; dataLen = 0; ud.WriteU32(1, 0); }
            else
            {
                var d = map!;
                dataType = (uint)d.Type.Id;
                dataLen = (uint)((d.LengthBits + 7) / 8);
                if (literal.Elements.OfType<MappingNode>().Select(m => m.Value).OfType<ConcatNode>().FirstOrDefault() is { } dataConcat)
                {
                    // `{ k : addr . port }` (NAT): the data type is the concatenation of its items' types.
                    dataType = DataTypeRegistry.ConcatTypeId(dataConcat.Items.Select(i => i.Type.Id));
                    dataLen = (uint)dataConcat.Items.Sum(i => (i.LengthBits + 31) / 32 * 4);
                    ud.WriteU32(1, 0);
                }
                else ud.WriteU32(1, (uint)(d.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : d.ByteOrder));
                if (MapLiterals.HasIntervalData(literal))
                {
                    // Interval data (NAT address ranges): each element carries first . last, twice the data length.
                    dataLen *= 2;
                    dataInterval = true;
                    WidenToIntervalData(literal);
                }
            }
        }
        // As nft 1.0.6 (mnl_nft_set_add): auto-merge only for sets; a verdict's typeof (an expression kind with no
        // fields) and the data-interval flag for every data map.
        if (interval && !isMap) ud.WriteU32(2, 1);
        if (Typeof(key) is { } typeofBytes) ud.WriteBytes(3, typeofBytes);
        if (verdictMap) ud.WriteBytes(4, new UserDataWriter().WriteU32(0, 1).WriteBytes(1, ReadOnlySpan<byte>.Empty).ToArray());
        if (isMap) ud.WriteU32(6, dataInterval ? 1u : 0u);
        // Fields that do not fill their bytes (ip dscp, frag-off) are matched shifted into place: so are the elements.
        Node elementKey = key;
        if (!concat && RuleLinearizer.FieldWindow(key) is { } fw && (fw.Shift != 0 || fw.Length * 8 != key.LengthBits))
        {
            if (fw.Shift != 0) ShiftElements(literal, fw.Shift);
            keyLen = (uint)fw.Length;
            elementKey = new SymbolNode { Text = "", Type = key.Type, LengthBits = fw.Length * 8, ByteOrder = key.ByteOrder };
        }
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
        return (spec, Elements(literal, elementKey, isMap, interval, concat, mergeAdjacent: true, anonymous: true));
    }

    /// <summary>The set of `meter NAME [size N] { key stmt }` as nft 1.0.6 declares it in the rule's batch: named,
    /// flags anonymous|eval (|timeout with a key timeout), the key's type and byte order, a size only when given.</summary>
    public static SetSpec BuildMeter(DynsetStatement d, uint setId)
    {
        var key = d.Key;
        bool concat = key is ConcatNode;
        var keyItems = key is ConcatNode kc ? kc.Items : new List<Node> { key };
        var ud = new UserDataWriter();
        ud.WriteU32(0, concat ? 0u : (uint)(key.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : key.ByteOrder));
        return new SetSpec
        {
            Name = d.SetName,
            Flags = 0x1 | 0x20 | (d.TimeoutMs is not null ? 0x10u : 0),
            KeyType = concat ? DataTypeRegistry.ConcatTypeId(keyItems.Select(i => i.Type.Id)) : (uint)key.Type.Id,
            KeyLength = concat ? (uint)keyItems.Sum(i => (i.LengthBits + 31) / 32 * 4) : (uint)((key.LengthBits + 7) / 8),
            Size = d.MeterSize is > 0 ? d.MeterSize : null,
            SetId = setId,
            UserData = ud.ToArray(),
        };
    }

    /// <summary>In a map with interval data every element carries first . last: single values become one-value ranges
    /// (a concatenation without a range: its first item).</summary>
    public static void WidenToIntervalData(SetNode literal)
    {
        foreach (var e in literal.Elements)
        {
            if (e is MappingNode { Value: ValueNode single } m) m.Value = AsRange(single);
            else if (e is MappingNode { Value: ConcatNode c } && !c.Items.Any(i => i is RangeNode or PrefixNode) && c.Items[0] is ValueNode first)
                c.Items[0] = AsRange(first);
        }
    }

    private static RangeNode AsRange(ValueNode v) =>
        new() { Low = v, High = v, Type = v.Type, LengthBits = v.LengthBits, ByteOrder = v.ByteOrder, Span = v.Span };

    /// <summary>An anonymous object map (`counter name KEY map { k : "obj" }`) as nft 1.0.6 sends it: `__objmap%d`,
    /// flags anonymous|constant|object (no map flag, no data type), NFTA_SET_OBJ_TYPE, key byte order and a zero
    /// data-interval in the user data, elements carrying NFTA_SET_ELEM_OBJREF.</summary>
    public static (SetSpec Set, IReadOnlyList<ElementSpec> Elements) BuildObjectMap(SetNode literal, Node key, uint objectType, uint setId)
    {
        var keyItems = key is ConcatNode kc ? kc.Items : new List<Node> { key };
        bool concat = key is ConcatNode;
        bool interval = literal.Elements.Any(e => IsInterval(KeyOf(e)));
        uint flags = 0x1 | 0x2 | (interval ? 0x4u : 0) | 0x40 | (interval && concat ? 0x80u : 0);
        var ud = new UserDataWriter();
        ud.WriteU32(0, concat ? 0u : (uint)(key.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : key.ByteOrder));
        if (interval) ud.WriteU32(2, 1);
        ud.WriteU32(6, 0);
        var spec = new SetSpec
        {
            Name = "__objmap%d",
            Flags = flags,
            KeyType = concat ? DataTypeRegistry.ConcatTypeId(keyItems.Select(i => i.Type.Id)) : (uint)key.Type.Id,
            KeyLength = concat ? (uint)keyItems.Sum(i => (i.LengthBits + 31) / 32 * 4) : (uint)((key.LengthBits + 7) / 8),
            ObjectType = objectType,
            Size = (uint)literal.Elements.Count,
            ConcatFieldLengths = interval && concat ? keyItems.Select(i => (uint)((i.LengthBits + 7) / 8)).ToArray() : null,
            SetId = setId,
            UserData = ud.ToArray(),
        };
        return (spec, Elements(literal, key, isMap: true, interval, concat, anonymous: true));
    }

    /// <summary>typeof user data for keys that are plain expressions (payload, meta, ct).</summary>
    private static void ShiftElements(SetNode literal, int shift)
    {
        static void Shift(Node n, int by)
        {
            switch (n)
            {
                case ValueNode { StringBytes: null } v: v.Value <<= by; break;
                case RangeNode r: Shift(r.Low, by); Shift(r.High, by); break;
                case PrefixNode p: Shift(p.Inner, by); break;
                case SetElementNode s: Shift(s.Key, by); break;
                case MappingNode m: Shift(m.Key, by); break;
            }
        }
        foreach (var e in literal.Elements) Shift(e, shift);
    }

    /// <summary>typeof user data (nft 1.0.6 expression kind and that kind's fields) for one key expression.</summary>
    internal static byte[]? Typeof(Node key) =>
        TypeofParts(key) is { } p ? new UserDataWriter().WriteU32(0, p.Kind).WriteBytes(1, p.Data).ToArray() : null;

    /// <summary>The expression kind and its fields; a concatenation nests one (kind, fields) per item
    /// (nft's concat_expr_build_udata), without which nft cannot size integer items such as `vlan id`.</summary>
    private static (uint Kind, byte[] Data)? TypeofParts(Node key)
    {
        var data = new UserDataWriter();
        uint kind;
        switch (key)
        {
            case ConcatNode c:
            {
                kind = 13;
                for (int i = 0; i < c.Items.Count; i++)
                {
                    if (TypeofParts(c.Items[i]) is not { } item) return null;
                    data.WriteBytes((byte)i, new UserDataWriter().WriteU32(0, item.Kind).WriteBytes(1, item.Data).ToArray());
                }
                break;
            }
            case PayloadNode { Raw: false, Header: { } h, Field: { } f } p:
                kind = 7; data.WriteU32(0, (uint)h.Id).WriteU32(1, (uint)f.Index);
                // Integer fields have no size of their own: nft records the length.
                if (p.Type == T.Integer) data.WriteU32(4, (uint)p.LengthBits);
                break;
            case PayloadNode { Raw: true } port when RuleEvaluator.RawTransportPort(port) is { } thf:
                kind = 7; data.WriteU32(0, (uint)ProtocolHeaders.Th.Id).WriteU32(1, (uint)thf.Index);
                break;
            case PayloadNode { Raw: true } raw:
                kind = 7; data.WriteU32(0, 0).WriteU32(1, 0).WriteU32(2, (uint)raw.Base).WriteU32(3, (uint)raw.OffsetBits).WriteU32(4, (uint)raw.LengthBits);
                break;
            case MetaNode m:
                kind = 9; data.WriteU32(0, (uint)m.Key.Key); break;
            case CtNode ct:
                kind = 12; data.WriteU32(0, (uint)ct.Key.Key).WriteU32(1, ct.Direction is int d ? (uint)d : 0xffffffff);
                break;
            case KeyedNode { Kind: "osf" }:
                kind = 11; break;
            case KeyedNode { Kind: "numgen" } ng:
                kind = 23; data.WriteU32(0, (uint)ng.Key).WriteU32(1, ng.Modulus).WriteU32(2, ng.Offset); break;
            case KeyedNode { Kind: "xfrm" } x:
                kind = 27; data.WriteU32(0, (uint)x.Key).WriteU32(1, (uint)(x.Direction ?? 0)).WriteU32(2, (uint)(x.Spnum ?? 0)); break;
            case SymbolNode { Text: "", Type: var vt } when vt == T.Verdict:
                kind = 1; break;
            default: return null;
        }
        return (kind, data.ToArray());
    }

    private static Node KeyOf(Node e) => e switch
    {
        MappingNode m => KeyOf(m.Key),
        SetElementNode s => s.Key,
        _ => e,
    };

    internal static bool IsIntervalElement(Node e) => IsInterval(KeyOf(e));

    /// <summary>Ranges, prefixes and wildcard strings (`"eth*"`: every name with that prefix) are intervals.</summary>
    private static bool IsInterval(Node k) => k is RangeNode or PrefixNode or ValueNode { Wildcard: true } || (k is ConcatNode c && c.Items.Any(IsInterval));

    /// <summary>The inclusive numeric bounds of a key (value, range or prefix). Interval keys go to the kernel in
    /// big-endian byte order whatever the type's order (nft switches host-order values), so ranges sort by memcmp.</summary>
    internal static (BigInteger Lo, BigInteger Hi) Bounds(Node k, int lenBytes)
    {
        switch (k)
        {
            case RangeNode r:
                return (Num(r.Low, r.LengthBits), Num(r.High, r.LengthBits));
            case ValueNode { Wildcard: true, StringBytes: { } prefix }:
            {
                // The prefix padded with zeros up to the prefix padded with 0xff.
                var lo = new byte[lenBytes];
                var hi = Enumerable.Repeat((byte)0xff, lenBytes).ToArray();
                prefix.AsSpan(0, Math.Min(prefix.Length, lenBytes)).CopyTo(lo);
                prefix.AsSpan(0, Math.Min(prefix.Length, lenBytes)).CopyTo(hi);
                return (new BigInteger(lo, isUnsigned: true, isBigEndian: true), new BigInteger(hi, isUnsigned: true, isBigEndian: true));
            }
            case PrefixNode p:
            {
                BigInteger v = Num(p.Inner, p.LengthBits);
                int bits = lenBytes * 8;
                int hostBits = bits - p.PrefixLength;
                // Prefixes of types shorter than their bytes (none in practice) are taken on the whole value.
                BigInteger host = (BigInteger.One << hostBits) - 1;
                BigInteger lo = v & ~host & ((BigInteger.One << bits) - 1);
                return (lo, lo | host);
            }
            default:
            {
                var v = Num(k, k.LengthBits);
                return (v, v);
            }
        }
    }

    private static BigInteger Num(Node n, int lengthBits)
    {
        if (n is ValueNode { StringBytes: null } v) return v.Value;
        return new BigInteger(RuleLinearizer.ValueBytes(n, lengthBits), isUnsigned: true, isBigEndian: true);
    }

    private static byte[] Bytes(BigInteger v, int len)
    {
        var r = new byte[len];
        byte[] le = v.IsZero ? Array.Empty<byte>() : v.ToByteArray(isUnsigned: true, isBigEndian: false);
        for (int i = 0; i < Math.Min(le.Length, len); i++) r[len - 1 - i] = le[i];
        return r;
    }

    private static byte[] IntervalData(Node value)
    {
        int len = (value.LengthBits + 7) / 8;
        var (lo, hi) = Bounds(value, len);
        return Bytes(lo, len).Concat(Bytes(hi, len)).ToArray();
    }

    /// <summary>Interval data of a concatenation: every item's first value, then every item's last, each item padded
    /// to 4 bytes (nft's layout for `addr/24 . port-port`).</summary>
    private static byte[] ConcatIntervalData(ConcatNode c)
    {
        var lo = new List<byte>();
        var hi = new List<byte>();
        foreach (var item in c.Items)
        {
            int len = (item.LengthBits + 7) / 8;
            int padded = (len + 3) / 4 * 4;
            var (l, h) = Bounds(item, len);
            lo.AddRange(Bytes(l, len)); lo.AddRange(new byte[padded - len]);
            hi.AddRange(Bytes(h, len)); hi.AddRange(new byte[padded - len]);
        }
        return lo.Concat(hi).ToArray();
    }

    private static ElementSpec WithData(ElementSpec e, Node element)
    {
        if (element is MappingNode m)
        {
            e = m.Value switch
            {
                VerdictNode v => e with { Verdict = VerdictOf(v) },
                // An object map's data: the object's name, not evaluated against a type.
                SymbolNode { Type: var st } sym when st == T.Invalid => e with { ObjectReference = sym.Text },
                // Interval data: first . last, each at the data's own length.
                RangeNode or PrefixNode => e with { Data = IntervalData(m.Value) },
                ConcatNode c when c.Items.Any(i => i is RangeNode or PrefixNode) => e with { Data = ConcatIntervalData(c) },
                _ => e with { Data = RuleLinearizer.ValueBytes(m.Value, m.Value.LengthBits) },
            };
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
        "last" => RuleLinearizer.Last(a),
        "quota" => RuleLinearizer.Quota(a.Options, a.Span),
        "connlimit" => new ConnlimitExpression { Count = (uint)a.Get<ulong>("count"), Flags = a.Has("over") ? ConnlimitFlags.Invert : null },
        _ => throw new NftEvaluationException(a.Span, $"{a.Kind} is not supported in a set element"),
    };

    internal static NftVerdict VerdictOf(VerdictNode v) => v.Verdict switch
    {
        "accept" => new NftVerdict(VerdictCode.Accept), "drop" => new NftVerdict(VerdictCode.Drop),
        "continue" => new NftVerdict(VerdictCode.Continue), "return" => new NftVerdict(VerdictCode.Return),
        "jump" => new NftVerdict(VerdictCode.Jump, v.Chain), "goto" => new NftVerdict(VerdictCode.Goto, v.Chain),
        _ => new NftVerdict(VerdictCode.Queue),
    };

    /// <param name="anonymous">An anonymous set: an interval's end element is left out when the next interval starts
    /// right there (nft's set_to_intervals does so for anonymous sets only).</param>
    internal static List<ElementSpec> Elements(SetNode literal, Node key, bool isMap, bool interval, bool concat, bool mergeAdjacent = false, bool anonymous = false)
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
                // The catch-all of a concatenated interval map has no bounds; it goes last, as in the other set kinds.
                if (KeyOf(e) is not ConcatNode k) continue;
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
            foreach (var e in literal.Elements)
                if (KeyOf(e) is CatchAllNode) result.Add(WithData(new ElementSpec { Flags = 2 }, e));
            return result;
        }
        int keyLen = (key.LengthBits + 7) / 8;
        var ranges = literal.Elements.Where(e => KeyOf(e) is not CatchAllNode)
            .Select(e => (Bounds: Bounds(KeyOf(e), keyLen), Element: e)).OrderBy(x => x.Bounds.Lo).ToList();
        // Overlapping ranges are merged, as nft's segtree does; adjacent ones only with auto-merge.
        var merged = new List<(BigInteger Lo, BigInteger Hi, Node Element)>();
        foreach (var (b, e) in ranges)
        {
            if (merged.Count > 0 && !isMap && (b.Lo <= merged[^1].Hi || (mergeAdjacent && b.Lo == merged[^1].Hi + 1)))
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
            // An interval reaching the top of the key space has no end element; nft marks it open in the user data.
            result.Add(WithData(new ElementSpec { Key = Bytes(lo, keyLen), IntervalOpen = hi >= max }, e));
            if (hi < max && !(anonymous && i + 1 < merged.Count && merged[i + 1].Lo == hi + 1))
                result.Add(new ElementSpec { Key = Bytes(hi + 1, keyLen), Flags = 1 });
        }
        foreach (var e in literal.Elements)
            if (KeyOf(e) is CatchAllNode) result.Add(WithData(new ElementSpec { Flags = 2 }, e));
        return result;
    }
}
