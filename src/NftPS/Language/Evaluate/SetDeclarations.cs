using NftPS.Language.DataTypes;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Evaluate;

/// <summary>Builds <see cref="SetDescriptor"/>s from `type A . B [: C]` or `typeof EXPR [: EXPR]` declarations.</summary>
public static class SetDeclarations
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
        return desc with { IsMap = true, DataType = d.Type, DataLengthBits = d.LengthBits, DataByteOrder = d.ByteOrder };
    }

    private static Exception Error(SourceSpan? span, string msg) =>
        span is { } s ? new NftEvaluationException(s, msg) : new ArgumentException(msg);
}
