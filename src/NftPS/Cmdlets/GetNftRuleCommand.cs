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

    protected override void ProcessRecord()
    {
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
                (Handle is null || Handle.Contains(rule.Handle)))
                WriteObject(rule);
    }
}
