using NftPS.NfTables;
using NftPS.NfTables.Operations;

namespace NftPS.Cmdlets.Convergence;

/// <summary>What a typed operation touches and how much it matters, for the checks Set-NftRuleset makes before it
/// sends a comparison's batch.</summary>
internal static class OperationScope
{
    /// <summary>The table an operation acts in; null for `flush ruleset`, which acts in every table.</summary>
    public static (NftFamily Family, string Table)? TableOf(NftOperation operation) => operation switch
    {
        TableOperation t => (t.Family, t.Name),
        ChainOperation c => (c.Family, c.Table),
        BoundChainOperation b => (b.Family, b.Table),
        ChainPolicyOperation p => (p.Family, p.Table),
        ChainRenameOperation r => (r.Family, r.Table),
        RuleOperation r => (r.Family, r.Table),
        SetOperation s => (s.Family, s.Table),
        ElementOperation e => (e.Family, e.Table),
        ElementKeysOperation k => (k.Family, k.Table),
        ObjectOperation o => (o.Family, o.Table),
        FlowtableOperation f => (f.Family, f.Table),
        ResetOperation r => (r.Family, r.Table),
        _ => null,
    };

    /// <summary>True when the operation acts in one of <paramref name="tables"/> (or in all tables).</summary>
    public static bool Touches(NftOperation operation, IReadOnlyList<(NftFamily Family, string Table)> tables) =>
        TableOf(operation) is not { } where ||
        tables.Any(t => (t.Family == where.Family || where.Family == NftFamily.Unspecified) && t.Table == where.Table);

    /// <summary>A change that can lock a host out or lose much at once: a table or chain deleted (recreating a chain
    /// deletes it first), the ruleset flushed, or a base chain given a drop policy. Set-NftRuleset asks for these as
    /// a ConfirmImpact High command would.</summary>
    public static bool IsHighImpact(NftOperation operation) => operation switch
    {
        RulesetOperation => true,
        TableOperation { Verb: NftVerb.Delete or NftVerb.Destroy or NftVerb.Flush } => true,
        ChainOperation { Verb: NftVerb.Delete or NftVerb.Destroy or NftVerb.Flush } => true,
        ChainOperation { Policy: { } policy } => IsDrop(policy),
        ChainPolicyOperation { Policy: var policy } => IsDrop(policy),
        _ => false,
    };

    private static bool IsDrop(string policy) => string.Equals(policy, "drop", StringComparison.OrdinalIgnoreCase);
}
