using System.Runtime.CompilerServices;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Language.Printing;

internal static partial class XtText
{
    /// <summary>nft 1.0.6 quirk, seen here: libxtables translates the NAT targets (SNAT, DNAT, MASQUERADE, REDIRECT) for
    /// one family per listing, the family of the first rule in listing order that holds one; in the other family's
    /// tables they print as nothing (the statement's space stays).</summary>
    public static bool IsNatTarget(string name) => name is "SNAT" or "DNAT" or "MASQUERADE" or "REDIRECT";

    private sealed class Box(NftFamily? family) { public NftFamily? Family { get; } = family; }

    private static readonly ConditionalWeakTable<NftRuleset, Box> NatFamilies = new();

    public static NftFamily? NatFamily(NftRuleset ruleset) => NatFamilies.GetValue(ruleset, rs => new Box(FirstNatFamily(rs))).Family;

    private static NftFamily? FirstNatFamily(NftRuleset ruleset)
    {
        foreach (var rule in ruleset.Rules)
        {
            IReadOnlyList<Expression> list;
            try
            {
                list = rule.Expressions.Count > 0 || rule.RawExpressions.Length == 0 ? rule.Expressions : ExpressionCodec.DecodeList(rule.RawExpressions);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                continue;
            }
            if (list.Any(e => e is TargetExpression t && IsNatTarget(t.ExtensionName))) return rule.Family;
        }
        return null;
    }
}
