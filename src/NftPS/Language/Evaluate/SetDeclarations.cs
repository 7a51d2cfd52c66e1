using NftPS.Language.DataTypes;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Evaluate;

/// <summary>Builds <see cref="SetDescriptor"/>s from `type A . B [: C]` or `typeof EXPR [: EXPR]` declarations.</summary>
internal static class SetDeclarations
{
    public static SetDescriptor FromType(string name, string keyTypes, string? dataType, bool interval = false, SourceSpan? span = null)
    {
        var keys = keyTypes.Split('.', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => T.FromName(t) ?? throw Error(span, $"unknown datatype {t}")).ToList();
        var desc = new SetDescriptor
        {
            Name = name,
            KeyTypes = keys,
            KeyLengthsBits = keys.Select(k => k.SizeBits == 0 ? (k.IsString ? 128 : 32) : k.SizeBits).ToList(),
            KeyByteOrders = keys.Select(k => k.ByteOrder).ToList(),
            IsInterval = interval,
        };
        if (dataType is null) return desc;
        if (dataType == "verdict") return desc with { IsMap = true, DataType = T.Verdict };
        if (dataType is "counter" or "quota" or "limit") return desc with { IsMap = true, IsObjectMap = true };
        if (dataType.Contains('.'))
        {
            var items = dataType.Split('.', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => T.FromName(t) ?? throw Error(span, $"unknown datatype {t}")).ToList();
            return desc with { IsMap = true, DataType = items[0], DataLengthBits = items.Sum(i => Round32(ItemBits(i))),
                DataByteOrder = ByteOrder.BigEndian, DataItemTypes = items, DataItemLengthsBits = items.Select(ItemBits).ToList() };
        }
        var d = T.FromName(dataType) ?? throw Error(span, $"unknown datatype {dataType}");
        return desc with { IsMap = true, DataType = d, DataLengthBits = d.SizeBits == 0 ? 32 : d.SizeBits, DataByteOrder = d.ByteOrder };
    }

    /// <summary>`typeof` keys: the expressions are evaluated in the table's family to get their types.</summary>
    public static SetDescriptor FromTypeof(string name, string keyExpr, string? dataExpr, NftFamily family, bool interval = false)
    {
        var ctx = new CompileContext { Family = family };
        Node Eval(string text)
        {
            var rule = Parser.ParseRule(new SourceText(text + " == 0"));
            var m = (MatchStatement)rule.Statements[0];
            new RuleEvaluator(ctx).EvaluateLhs(m.Left);
            return m.Left;
        }
        var key = Eval(keyExpr);
        var items = key is ConcatNode c ? c.Items : new List<Node> { key };
        var desc = new SetDescriptor
        {
            Name = name,
            KeyTypes = items.Select(i => i.Type).ToList(),
            KeyLengthsBits = items.Select(i => i.LengthBits).ToList(),
            KeyByteOrders = items.Select(i => i.ByteOrder).ToList(),
            IsInterval = interval,
        };
        if (dataExpr is null) return desc;
        if (dataExpr == "verdict") return desc with { IsMap = true, DataType = T.Verdict };
        var d = Eval(dataExpr);
        if (d is ConcatNode dc)
            return desc with { IsMap = true, DataType = dc.Items[0].Type, DataLengthBits = d.LengthBits, DataByteOrder = ByteOrder.BigEndian,
                DataItemTypes = dc.Items.Select(i => i.Type).ToList(), DataItemLengthsBits = dc.Items.Select(i => i.LengthBits).ToList() };
        return desc with { IsMap = true, DataType = d.Type, DataLengthBits = d.LengthBits, DataByteOrder = d.ByteOrder };
    }

    /// <summary>A set or map read from the kernel, as <see cref="ScriptContext"/>-style lookups need it: key and data
    /// types from the datatype ids (concatenations split), lengths from the key and field lengths, byte orders from
    /// the user data nft wrote.</summary>
    public static SetDescriptor FromKernel(NftPS.NfTables.Model.NftSet set)
    {
        var ids = DataTypeRegistry.SplitConcatType(set.KeyType);
        var types = ids.Select(id => T.FromId(id) ?? T.Integer).ToList();
        var lengths = new List<int>();
        for (int i = 0; i < types.Count; i++)
        {
            if (types.Count == 1) lengths.Add((int)set.KeyLength * 8);
            else if (set.ConcatFieldLengths.Length == types.Count) lengths.Add((int)set.ConcatFieldLengths[i] * 8);
            else lengths.Add(types[i].SizeBits > 0 ? types[i].SizeBits : types[i].IsString ? 128 : 32);
        }
        var orders = types.Select(t => types.Count == 1 && set.KeyByteOrder is 1 or 2 ? (ByteOrder)set.KeyByteOrder.Value
            : t.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : t.ByteOrder).ToList();
        bool isMap = (set.Flags & 0x8) != 0, objectMap = (set.Flags & 0x40) != 0;
        DataType? dataType = null;
        List<DataType>? dataItems = null;
        int dataBits = 0;
        var dataOrder = ByteOrder.Invalid;
        if (isMap && set.DataType is { } dt)
        {
            if (dt == 0xffffff00) dataType = T.Verdict;
            else
            {
                dataType = T.FromId((int)(dt & 0x3f)) ?? T.Integer;
                dataBits = (int)(set.DataLength ?? 4) * 8;
                var dataIds = DataTypeRegistry.SplitConcatType(dt);
                if (dataIds.Count > 1)
                {
                    dataItems = dataIds.Select(id => T.FromId(id) ?? T.Integer).ToList();
                    dataType = dataItems[0];
                }
                dataOrder = set.DataByteOrder is 1 or 2 ? (ByteOrder)set.DataByteOrder.Value
                    : dataType.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : dataType.ByteOrder;
            }
        }
        return new SetDescriptor
        {
            Name = set.Name,
            KeyTypes = types,
            KeyLengthsBits = lengths,
            KeyByteOrders = orders,
            IsMap = isMap || objectMap,
            IsObjectMap = objectMap,
            DataType = dataType,
            DataLengthBits = dataBits,
            DataByteOrder = dataOrder,
            DataItemTypes = dataItems,
            DataItemLengthsBits = dataItems?.Select(ItemBits).ToList(),
            IsDataInterval = set.DataInterval == true,
            IsInterval = (set.Flags & 0x4) != 0,
            HasTimeout = (set.Flags & 0x10) != 0,
            IsDynamic = (set.Flags & 0x20) != 0,
        };
    }

    private static int ItemBits(DataType t) => t.SizeBits > 0 ? t.SizeBits : t.IsString ? 128 : 32;
    private static int Round32(int bits) => (bits + 31) / 32 * 32;

    private static Exception Error(SourceSpan? span, string msg) =>
        span is { } s ? new NftEvaluationException(s, msg) : new ArgumentException(msg);
}
