using NftPS.Netlink;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.NfTables.Transactions;

/// <summary>Turns the kernel's bare errno for a refused operation into what the user got wrong, by looking at the
/// ruleset: "No such file or directory" for a rule usually means the table is in another family (-Family
/// forgotten), and "Operation not supported" for a policy change means the chain is not there.</summary>
internal static class RefusalExplainer
{
    /// <summary>The explanation, and whether the cause is a missing object; null when nothing better can be said.</summary>
    public static (string Message, bool NotFound)? Explain(INftBackend connection, NftOperationFailure failure,
        CancellationToken cancellation)
    {
        if (failure.Operation is not { } op || failure.Errno is not (Errors.ENOENT or Errors.EOPNOTSUPP)) return null;
        var (table, inner) = Names(op);
        if (table is null || op.Type == NfTablesMessageType.NewTable) return null;
        bool chains = op.Type is NfTablesMessageType.NewRule or NfTablesMessageType.DelRule
            or NfTablesMessageType.NewChain or NfTablesMessageType.DelChain;
        bool sets = op.Type is NfTablesMessageType.NewSetElement or NfTablesMessageType.DelSetElement;
        var ruleset = connection.ReadSnapshot(new RulesetQuery
        {
            IncludeTables = true, IncludeChains = chains, IncludeSets = sets, IncludeRules = false, IncludeElements = false,
            IncludeObjects = false, IncludeFlowtables = false, DescribeRules = false,
        }, cancellation);
        string family = op.Family.ToKeyword();
        if (!ruleset.Tables.Any(t => t.Family == op.Family && t.Name == table))
        {
            var elsewhere = ruleset.Tables.Where(t => t.Name == table).Select(t => t.Family.ToKeyword()).ToList();
            string hint = elsewhere.Count == 0 ? ""
                : $"; table {string.Join(" and ", elsewhere.Select(f => $"'{f} {table}'"))} {(elsewhere.Count == 1 ? "does" : "do")}" +
                  $" (give -Family {elsewhere[0]})";
            return ($"Table '{family} {table}' does not exist{hint}.", true);
        }
        if (chains && inner is not null)
        {
            var chain = ruleset.Chains.FirstOrDefault(c => c.Family == op.Family && c.Table == table && c.Name == inner);
            if (chain is null) return ($"Chain '{inner}' does not exist in table '{family} {table}'.", true);
            if (op.Type == NfTablesMessageType.NewChain && failure.Errno == Errors.EOPNOTSUPP && !chain.IsBaseChain)
                return ($"Chain '{inner}' in table '{family} {table}' is a regular chain; only base chains (with a hook) have a policy.", false);
        }
        if (sets && inner is not null && !ruleset.Sets.Any(s => s.Family == op.Family && s.Table == table && s.Name == inner))
            return ($"Set '{inner}' does not exist in table '{family} {table}'.", true);
        return null;
    }

    /// <summary>The table and the chain or set an operation names, read back from its own attributes
    /// (attribute 1 is the table in every message; the chain/set name is 2 for rules and elements, 3 for chains).</summary>
    private static (string? Table, string? Inner) Names(BatchOperation op)
    {
        var w = new NetlinkWriter(256);
        op.WriteAttributes(w);
        ushort innerType = op.Type switch
        {
            NfTablesMessageType.NewRule or NfTablesMessageType.DelRule or
            NfTablesMessageType.NewSetElement or NfTablesMessageType.DelSetElement => 2,
            NfTablesMessageType.NewChain or NfTablesMessageType.DelChain => 3,
            _ => 0,
        };
        string? table = null, inner = null;
        var r = new NetlinkAttributeReader(w.WrittenSpan);
        while (r.TryRead(out var a))
        {
            if (a.Type == 1) table = a.GetString();
            else if (innerType != 0 && a.Type == innerType) inner = a.GetString();
        }
        return (table, inner);
    }
}
