using NftPS.NfTables.Model;

namespace NftPS.NfTables.Expressions.Xtables;

/// <summary>Rules holding xtables match/target expressions belong to the iptables-nft family of tools: nft itself warns
/// "table … is managed by iptables-nft, do not touch!". NftPS reads them and leaves them to their owner.</summary>
public static class XtablesOwnership
{
    /// <summary>The tool that wrote the rule, or null when it holds no xt expression.</summary>
    public static string? OwnerTool(NftRule rule)
    {
        IReadOnlyList<Expression> list = rule.Expressions;
        if (list.Count == 0 && rule.RawExpressions.Length > 0)
        {
            try
            {
                list = ExpressionCodec.DecodeList(rule.RawExpressions);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
            {
                return null;
            }
        }
        return list.Any(e => e is XtablesExpression) ? ToolFor(rule.Family) : null;
    }

    public static string ToolFor(NftFamily family) => family switch
    {
        NftFamily.Ip6 => "ip6tables-nft",
        NftFamily.Bridge => "ebtables-nft",
        NftFamily.Arp => "arptables-nft",
        _ => "iptables-nft",
    };
}
