using System.Numerics;
using NftPS.Language.Model;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Expressions.Xtables;

namespace NftPS.Language.Delinearize;

/// <summary>nft's netlink_parse_match/target: an xt expression becomes one statement holding its decoded info, plus
/// what the translation needs from the rule so far (libxtables reads the protocol from the ipt_entry nft builds).</summary>
internal static class XtStatementParser
{
    public static void Parse(List<SStmt> statements, XtablesExpression x, NftFamily family) =>
        statements.Add(new XtS { Expression = x, Info = XtInfoDecoder.Decode(x, family), Family = family, L4Proto = L4Proto(statements) });

    /// <summary>The protocol of the last `meta l4proto X` (iptables-nft's `-p X`) before this expression.</summary>
    private static int L4Proto(List<SStmt> statements)
    {
        for (int i = statements.Count - 1; i >= 0; i--)
            if (statements[i] is MatchS { Op: RelOp.Eq or RelOp.Implicit, Left: MetaX { Key.Token: "l4proto" }, Right: ValueX v }
                && v.Value >= BigInteger.Zero && v.Value <= 255)
                return (int)v.Value;
        return -1;
    }
}
