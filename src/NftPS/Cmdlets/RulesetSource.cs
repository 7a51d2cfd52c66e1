using NftPS.Cmdlets.Interim;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>The one seam between the cmdlets and the reading/printing core, so the cmdlets do not change
/// when the core does.</summary>
internal static class RulesetSource
{
    public static NftRuleset Read(NfTablesConnection connection, RulesetQuery query, CancellationToken cancellation) =>
        InterimRulesetReader.Read(connection, query, cancellation);

    /// <summary>The ruleset as `nft list ruleset` prints it.</summary>
    public static string Print(NftRuleset ruleset, bool stateless) =>
        throw new NotSupportedException("Printing the ruleset as nft text is not available in this build yet (the ruleset printer is still being written).");
}
