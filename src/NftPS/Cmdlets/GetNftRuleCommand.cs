using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists rules; takes tables and chains from the pipeline (`Get-NftChain -Table t | Get-NftRule`).</summary>
[Cmdlet(VerbsCommon.Get, "NftRule", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftRule))]
public sealed class GetNftRuleCommand : NftTableContentGetCommandBase
{
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public string? Chain { get; set; }

    [Parameter]
    public ulong[]? Handle { get; set; }

    // The query filters below are deliberately not taken from the pipeline: a chain or rule piped in carries a
    // Comment (and rules carry Protocol, Action…) that must not silently become a filter.

    /// <summary>Rules that match this protocol (tcp dport implies tcp; meta l4proto, ip protocol).</summary>
    [Parameter] public string? Protocol { get; set; }
    /// <summary>Rules whose source address match lets some address of this address or prefix through.</summary>
    [Parameter] public string? SourceAddress { get; set; }
    [Parameter] public string? DestinationAddress { get; set; }
    /// <summary>Rules whose source port match lets this port (or some port of this range, 1000-2000) through.</summary>
    [Parameter] public string? SourcePort { get; set; }
    [Parameter] public string? DestinationPort { get; set; }
    [Parameter] [SupportsWildcards] public string? InputInterface { get; set; }
    [Parameter] [SupportsWildcards] public string? OutputInterface { get; set; }

    [Parameter]
    [ValidateSet("new", "established", "related", "invalid", "untracked")]
    public string? ConnectionState { get; set; }

    /// <summary>Rules on the socket owner (meta skuid): a uid or a user name.</summary>
    [Parameter] public string? User { get; set; }
    [Parameter] public NftRuleAction? Action { get; set; }
    [Parameter] [SupportsWildcards] public string? Comment { get; set; }
    /// <summary>Rules that look up, update or map through this named set or map.</summary>
    [Parameter] [SupportsWildcards] public string? UsesSet { get; set; }

    protected override void ProcessRecord()
    {
        RuleQueryFilter query;
        try
        {
            query = RuleQueryFilter.Create(this);
        }
        catch (RuleFilterException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "NftRuleFilterInvalid", ErrorCategory.InvalidArgument, ex.Value));
            return;
        }
        var tables = NameFilter.Create(Table);
        var chains = NameFilter.Create(Chain);
        var ruleset = ReadRuleset(RulesetSource.Query(Family, tables, chains: true, rules: true));
        if (ruleset is null) return;
        foreach (var table in ruleset.Tables) NameFilter.Matches(tables, table.Name);
        WriteNotFound(tables, "table", Family is NftFamily f ? $"family {f.ToKeyword()}" : null);
        if (tables?.UnmatchedLiterals.Any() == true) return;
        foreach (var chain in ruleset.Chains)
            if (NameFilter.Matches(tables, chain.Table)) NameFilter.Matches(chains, chain.Name);
        WriteNotFound(chains, "chain", Table is null ? null : Where("table", Family, Table));
        foreach (var rule in ruleset.Rules)
            if (NameFilter.Matches(tables, rule.Table) && NameFilter.Matches(chains, rule.Chain) &&
                (Handle is null || Handle.Contains(rule.Handle)) && (query.IsEmpty || query.Matches(rule)))
                WriteObject(rule);
    }
}
