using NftPS.NfTables.Model;
using NftPS.Language.DataTypes;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Writing;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Script;

/// <summary>A named set or map as the script knows it: what NEWSET carries and how its elements are encoded.</summary>
internal sealed class NamedSet
{
    public required SetSpec Spec { get; init; }
    public required SetDescriptor Descriptor { get; init; }
    public required string DefinitionText { get; init; }
    /// <summary>Typed stand-in for the key (one node, or a concatenation) that element values are evaluated against.</summary>
    public required Node KeyTemplate { get; init; }
    public Node? DataTemplate { get; init; }
    public bool AutoMerge { get; init; }

    private bool IsConcat => KeyTemplate is ConcatNode;

    /// <summary>The elements of a literal in NEWSETELEM form: typed by the set's key (and data), intervals as nft 1.0.6
    /// sends them (start, end+1 flagged, leading 0 end; concatenations with KEY_END).</summary>
    public List<ElementSpec> EncodeElements(SetNode literal, NftFamily family, bool adding)
    {
        var evaluator = new RuleEvaluator(new CompileContext { Family = family });
        var d = Descriptor;
        if (d.IsObjectMap)
        {
            // Object maps: keys are values, data are object names (left as symbols, sent as OBJREF).
            foreach (var e in literal.Elements)
            {
                if (e is not MappingNode mp)
                {
                    if (KeyOf(e) is CatchAllNode) continue;
                    throw new NftEvaluationException(e.Span, "expected mapping, got value");
                }
                var one = new SetNode { Span = mp.Key.Span };
                one.Elements.Add(mp.Key);
                evaluator.EvaluateSetLiteral(one, KeyTemplate, null);
                mp.Key = one.Elements[0];
                if (mp.Value is not SymbolNode) throw new NftEvaluationException(mp.Value.Span, "expected an object name");
            }
        }
        else if (d.IsMap)
        {
            foreach (var e in literal.Elements)
                if (e is not MappingNode && KeyOf(e) is not CatchAllNode)
                    throw new NftEvaluationException(e.Span, "expected mapping, got value");
            evaluator.EvaluateSetLiteral(literal, KeyTemplate, DataTemplate);
        }
        else
        {
            foreach (var e in literal.Elements)
                if (e is MappingNode) throw new NftEvaluationException(e.Span, "Map is not allowed here: you cannot add a mapping to a set");
            evaluator.EvaluateSetLiteral(literal, KeyTemplate, null);
        }
        if (!d.IsInterval)
            foreach (var e in literal.Elements)
                if (IsInterval(KeyOf(e)))
                    throw new NftEvaluationException(e.Span, "You must add 'flags interval' to your set declaration if you want to add intervals");
        if (adding && d.IsInterval && !AutoMerge && !IsConcat) IntervalConflicts.Check(literal, KeyTemplate);
        if (d.IsDataInterval) AnonymousSetBuilder.WidenToIntervalData(literal);
        var elements = AnonymousSetBuilder.Elements(literal, KeyTemplate, d.IsMap, d.IsInterval, IsConcat, AutoMerge);
        if (!adding && elements.Count > 1 && (elements[0].Flags & 1) != 0 && elements[0].Key is { } k0 && k0.All(b => b == 0))
            elements.RemoveAt(0);
        return elements;
    }

    private static Node KeyOf(Node e) => e switch
    {
        MappingNode m => KeyOf(m.Key),
        SetElementNode s => s.Key,
        _ => e,
    };

    private static bool IsInterval(Node k) => k is RangeNode or PrefixNode || (k is ConcatNode c && c.Items.Any(IsInterval));

    /// <summary>For a set that exists in the kernel: enough to encode new elements for it.</summary>
    public static NamedSet FromDescriptor(SetDescriptor d)
    {
        var items = new List<Node>();
        for (int i = 0; i < d.KeyTypes.Count; i++)
            items.Add(Template(d.KeyTypes[i], d.KeyLengthsBits[i], d.KeyByteOrders?[i] ?? d.KeyTypes[i].ByteOrder));
        Node key = items.Count == 1 ? items[0] : Concat(items);
        Node? data = null;
        if (d.IsMap && !d.IsObjectMap && d.DataItemTypes is { Count: > 1 } dts && d.DataItemLengthsBits is { } dls)
            data = Concat(dts.Select((t, i) => Template(t, dls[i], t.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : t.ByteOrder)).ToList());
        else if (d.IsMap && !d.IsObjectMap && d.DataType is { } dt)
            data = Template(dt, d.DataLengthBits, d.DataByteOrder);
        return new NamedSet
        {
            Spec = new SetSpec { Name = d.Name },
            Descriptor = d,
            DefinitionText = "",
            KeyTemplate = key,
            DataTemplate = data,
            AutoMerge = d.AutoMerge,
        };
    }

    internal static Node Template(DataType type, int bits, ByteOrder order) =>
        new SymbolNode { Text = "", Type = type, LengthBits = bits, ByteOrder = order };

    internal static ConcatNode Concat(List<Node> items)
    {
        var c = new ConcatNode { Type = T.Invalid, ByteOrder = ByteOrder.Invalid, LengthBits = items.Sum(i => (i.LengthBits + 31) / 32 * 32) };
        c.Items.AddRange(items);
        return c;
    }
}

/// <summary>Builds NEWSET for `set`/`map` declarations with the flags, lengths and user data nft 1.0.6 sends
/// (NETLINK-NOTES §5–7).</summary>
internal static class NamedSetBuilder
{
    private const uint FConstant = 0x2, FInterval = 0x4, FMap = 0x8, FTimeout = 0x10, FDynamic = 0x20, FObject = 0x40, FConcat = 0x80;

    private static readonly Dictionary<string, uint> ObjectTypes = new() { ["counter"] = 1, ["quota"] = 2, ["limit"] = 4, ["secmark"] = 8, ["synproxy"] = 10 };

    public static NamedSet Build(SetCommand cmd, NftFamily family, uint setId)
    {
        var decl = cmd.Decl!;
        var evaluator = new RuleEvaluator(new CompileContext { Family = family });
        // Key.
        List<Node> keyItems;
        Node key;
        if (decl.Typeof)
        {
            key = decl.KeyExpr!;
            evaluator.EvaluateLhs(key);
            keyItems = key is ConcatNode kc ? kc.Items : new List<Node> { key };
        }
        else
        {
            keyItems = decl.KeyTypes.Select(TypeTemplate).ToList();
            key = keyItems.Count == 1 ? keyItems[0] : NamedSet.Concat(keyItems);
        }
        bool concat = keyItems.Count > 1;
        if (concat && keyItems.Sum(i => (i.LengthBits + 31) / 32 * 4) > 64)
            throw new NftEvaluationException(decl.KeySpan, "concatenation of more than 64 bytes");

        // Flags.
        uint flags = 0;
        foreach (var f in decl.Flags)
            flags |= f.Text switch
            {
                "constant" => FConstant, "interval" => FInterval, "timeout" => FTimeout, "dynamic" => FDynamic,
                _ => throw new NftSyntaxException(f.Span, $"syntax error, unexpected {f.Text}"),
            };
        if (decl.TimeoutMs is not null) flags |= FTimeout;
        bool interval = (flags & FInterval) != 0;
        if (interval && concat) flags |= FConcat;

        // Data.
        Node? data = null;
        uint? dataType = null, dataLen = null, objType = null;
        bool verdictMap = false, objectMap = false;
        if (cmd.IsMap)
        {
            if (decl.DataTypes is null && decl.DataExpr is null) throw new NftEvaluationException(cmd.NameSpan, "map definition does not specify data type");
            if (decl.DataTypes is { Count: 1 } one && one[0].Text == "verdict")
            {
                verdictMap = true;
                data = NamedSet.Template(T.Verdict, 0, ByteOrder.Invalid);
                flags |= FMap;
                dataType = 0xffffff00; dataLen = 0;
            }
            else if (decl.DataTypes is { Count: 1 } o && ObjectTypes.TryGetValue(o[0].Text, out uint ot))
            {
                objectMap = true;
                flags |= FObject;
                objType = ot;
            }
            else
            {
                if (decl.DataExpr is { } de)
                {
                    evaluator.EvaluateLhs(de);
                    data = de;
                }
                else
                {
                    var parts = decl.DataTypes!.Select(TypeTemplate).ToList();
                    data = parts.Count == 1 ? parts[0] : NamedSet.Concat(parts);
                }
                flags |= FMap;
                dataType = data is ConcatNode dc ? DataTypeRegistry.ConcatTypeId(dc.Items.Select(i => i.Type.Id)) : (uint)data.Type.Id;
                dataLen = data is ConcatNode dc2 ? (uint)dc2.Items.Sum(i => (i.LengthBits + 31) / 32 * 4) : (uint)((data.LengthBits + 7) / 8);
                // `: interval …` data holds first . last.
                if (decl.DataInterval) dataLen *= 2;
            }
        }
        else if (decl.DataTypes is not null || decl.DataExpr is not null)
            throw new NftSyntaxException(decl.DataSpan, "syntax error, unexpected colon");

        // User data, in type order.
        var ud = new UserDataWriter();
        ud.WriteU32(0, concat ? 0u : (uint)Order(key));
        if (cmd.IsMap && !objectMap) ud.WriteU32(1, verdictMap || data is ConcatNode ? 0u : (uint)Order(data!));
        if (decl.AutoMerge) ud.WriteU32(2, 1);
        if (decl.Typeof) { if (Typeof(key) is { } kt) ud.WriteBytes(3, kt); }
        else if (concat) ud.WriteBytes(3, EmptyConcatTypeof());
        if (decl.Typeof && data is not null && !objectMap && Typeof(data) is { } dtb) ud.WriteBytes(4, dtb);
        // As for the key, nft records `type A . B` data as an empty concatenation (what a host listing read back carries).
        else if (!decl.Typeof && data is ConcatNode && !objectMap) ud.WriteBytes(4, EmptyConcatTypeof());
        if (cmd.IsMap && !objectMap) ud.WriteU32(6, decl.DataInterval ? 1u : 0u);
        if (decl.Comment is not null) ud.WriteString(7, NftPS.NfTables.Model.NftIdentifier.CheckComment(decl.Comment)!);

        // Statements attached to every element (counter, limit, quota).
        IReadOnlyList<Expression>? exprs = null;
        if (decl.Statements.Count > 0)
            exprs = decl.Statements.Select(s => s is ActionStatement a
                ? AnonymousSetBuilder.StatementExpression(a)
                : throw new NftEvaluationException(s.Span, "statement is not supported in a set declaration")).ToList();

        if (exprs is { Count: > 1 }) flags |= 0x100; // NFT_SET_EXPR: the kernel wants it with NFTA_SET_EXPRESSIONS

        uint keyType = concat ? DataTypeRegistry.ConcatTypeId(keyItems.Select(KeyTypeId)) : (uint)KeyTypeId(key);
        uint keyLen = concat ? (uint)keyItems.Sum(i => (i.LengthBits + 31) / 32 * 4) : (uint)((key.LengthBits + 7) / 8);
        if (keyLen == 0) throw new NftEvaluationException(decl.KeySpan, "Key length is zero");
        var spec = new SetSpec
        {
            Name = cmd.Name,
            Flags = flags,
            KeyType = keyType,
            KeyLength = keyLen,
            DataType = dataType,
            DataLength = dataLen,
            ObjectType = objType,
            Policy = decl.Policy?.Text == "memory" ? 1u : null,
            Size = decl.Size,
            ConcatFieldLengths = interval && concat ? keyItems.Select(i => (uint)((i.LengthBits + 7) / 8)).ToArray() : null,
            TimeoutMs = decl.TimeoutMs,
            GcIntervalMs = decl.GcIntervalMs is { } gc ? (uint)gc : null,
            UserData = ud.ToArray(),
            Expressions = exprs,
            SetId = setId,
        };
        var descriptor = new SetDescriptor
        {
            Name = cmd.Name,
            KeyTypes = keyItems.Select(i => i.Type).ToList(),
            KeyLengthsBits = keyItems.Select(i => i.LengthBits).ToList(),
            KeyByteOrders = keyItems.Select(Order).ToList(),
            IsMap = cmd.IsMap,
            IsObjectMap = objectMap,
            DataType = verdictMap ? T.Verdict : data?.Type,
            DataLengthBits = data?.LengthBits ?? 0,
            DataByteOrder = data is null ? ByteOrder.Invalid : Order(data),
            IsDataInterval = cmd.IsMap && !objectMap && !verdictMap && decl.DataInterval,
            DataItemTypes = data is ConcatNode dci ? dci.Items.Select(i => i.Type).ToList() : null,
            DataItemLengthsBits = data is ConcatNode dcl ? dcl.Items.Select(i => i.LengthBits).ToList() : null,
            IsInterval = interval,
            HasTimeout = (flags & FTimeout) != 0,
            IsDynamic = (flags & FDynamic) != 0,
            AutoMerge = decl.AutoMerge,
        };
        return new NamedSet
        {
            Spec = spec,
            Descriptor = descriptor,
            DefinitionText = DefinitionOf(cmd, decl),
            KeyTemplate = key,
            DataTemplate = data,
            AutoMerge = decl.AutoMerge,
        };
    }

    /// <summary>The declaration as nft text, every part of it (the operation's text re-parses to the same set): key
    /// and data as written, then flags, timeout, gc-interval, size, policy, statements, auto-merge, comment (quoted)
    /// and the elements as written.</summary>
    private static string DefinitionOf(SetCommand cmd, SetDecl decl)
    {
        var parts = new List<string> { $"{(decl.Typeof ? "typeof" : "type")} {decl.KeySpan.Text}{(cmd.IsMap ? " : " + decl.DataSpan.Text : "")};" };
        if (decl.Flags.Count > 0) parts.Add($"flags {string.Join(",", decl.Flags.Select(f => f.Text))};");
        if (decl.TimeoutMs is { } t) parts.Add($"timeout {t}ms;");
        if (decl.GcIntervalMs is { } gc) parts.Add($"gc-interval {gc}ms;");
        if (decl.Size is { } size) parts.Add($"size {size};");
        if (decl.Policy is { } policy) parts.Add($"policy {policy.Text};");
        foreach (var s in decl.Statements) parts.Add(s.Span.Text + ";");
        if (decl.AutoMerge) parts.Add("auto-merge;");
        if (decl.Comment is { } comment) parts.Add($"comment {NftPS.NfTables.Model.NftIdentifier.Quoted(comment)};");
        if (decl.Elements is { Elements.Count: > 0 } elements) parts.Add($"elements = {elements.Span.Text};");
        return string.Join(" ", parts);
    }

    private static ByteOrder Order(Node n) => n.ByteOrder == ByteOrder.Invalid ? (n.Type.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : n.Type.ByteOrder) : n.ByteOrder;

    private static Node TypeTemplate(Token t)
    {
        var type = T.FromName(t.Text) ?? throw new NftEvaluationException(t.Span, $"unknown datatype {t.Text}");
        if (type == T.Verdict) throw new NftEvaluationException(t.Span, "verdict is not a key type");
        int bits = type.SizeBits == 0 ? (type.IsString ? 128 : 0) : type.SizeBits;
        if (bits == 0) throw new NftEvaluationException(t.Span, $"{t.Text} is not a valid key type: use typeof");
        return NamedSet.Template(type, bits, type.ByteOrder);
    }

    /// <summary>The type a key part records in the set: nft gives `ct original proto-src/proto-dst` a type only from a
    /// rule's transport context, which a set declaration has not, so it records the invalid type (0) there.</summary>
    private static int KeyTypeId(Node item) =>
        item is CtNode { Key.Token: "proto-src" or "proto-dst" } ? 0 : item.Type.Id;

    private static byte[] EmptyConcatTypeof() => new UserDataWriter().WriteU32(0, 13).WriteBytes(1, ReadOnlySpan<byte>.Empty).ToArray();

    /// <summary>TYPEOF user data: {0 expression kind, 1 kind data}; concatenations nest one such pair per part.</summary>
    internal static byte[]? Typeof(Node key)
    {
        if (key is ConcatNode c)
        {
            var parts = new UserDataWriter();
            for (int i = 0; i < c.Items.Count; i++)
            {
                var p = Typeof(c.Items[i]);
                if (p is null) return null;
                parts.WriteBytes((byte)i, p);
            }
            return new UserDataWriter().WriteU32(0, 13).WriteBytes(1, parts.ToArray()).ToArray();
        }
        return AnonymousSetBuilder.Typeof(key);
    }
}
