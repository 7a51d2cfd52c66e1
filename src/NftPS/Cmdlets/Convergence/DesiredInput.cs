using System.Management.Automation;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Cmdlets.Convergence;

/// <summary>NftPS objects piped in as a desired state, gathered into one ruleset of whole tables: a ruleset
/// (Get-NftRuleset) brings every table it holds, a table (Get-NftTable) brings everything in it, read where the table
/// was read. Copies (Import-Clixml, remoting) of a ruleset are rebuilt from their properties; a copied table is read
/// where it came from, when that is this host. Parts of tables (a chain, a rule, a set) are refused: a desired state covers whole tables, and a table
/// given in part would have the rest purged.</summary>
internal sealed class DesiredInput
{
    private readonly List<NftRuleset> _rulesets = new();
    private readonly List<NftTable> _tables = new();

    public bool IsEmpty => _rulesets.Count == 0 && _tables.Count == 0;

    /// <summary>Takes one input; false with the reason when it cannot be part of a desired state.</summary>
    public bool Add(PSObject input, out string? refusal)
    {
        refusal = null;
        switch (input.BaseObject)
        {
            case NftRuleset ruleset:
                _rulesets.Add(ruleset);
                return true;
            case NftTable table when string.Equals(table.Host, NftObjectBase.LocalHostName, StringComparison.OrdinalIgnoreCase):
                _tables.Add(table);
                return true;
            case NftTable table:
                refusal = $"{table} was read on host '{table.Host}', where its chains and rules cannot be read from here. " +
                          "Pipe that host's Get-NftRuleset instead, or export it (Export-NftRuleset -Path) and give the file to -Path.";
                return false;
            case NftObjectBase part:
                refusal = $"A desired state covers whole tables, so {part} cannot be one on its own (the rest of its table would be purged). " +
                          "Pipe its table (Get-NftTable) or the ruleset (Get-NftRuleset), or give the policy as -Path or -Text.";
                return false;
        }
        try
        {
            if (InputOrigin.IsModelObject(input, "NftRuleset"))
            {
                _rulesets.Add(DeserializedRuleset.Rebuild(input));
                return true;
            }
            if (InputOrigin.IsModelObject(input, "NftTable"))
            {
                var copy = DeserializedRuleset.RebuildTable(input);
                if (!string.Equals(copy.Host, NftObjectBase.LocalHostName, StringComparison.OrdinalIgnoreCase))
                {
                    refusal = $"The copied {copy} was read on host '{copy.Host}', and a copied table holds no chains or rules: pipe that host's " +
                              "Get-NftRuleset (serialized with its content) instead, or export it (Export-NftRuleset -Path) and give the file to -Path.";
                    return false;
                }
                _tables.Add(copy);
                return true;
            }
        }
        catch (ArgumentException ex)
        {
            refusal = ex.Message;
            return false;
        }
        refusal = input.TypeNames.Any(t => t.Contains("NftPS.NfTables.Model.", StringComparison.Ordinal))
            ? $"A desired state covers whole tables, so a copied {input.TypeNames[0]} cannot be one on its own (the rest of its table would be purged). " +
              "Pipe the ruleset (Get-NftRuleset) instead, or give the policy as -Path or -Text."
            : $"-InputObject takes NftPS rulesets (Get-NftRuleset) and tables (Get-NftTable), live or deserialized, not {input.BaseObject?.GetType().FullName ?? "null"}. " +
              "Give nft text as -Text, or a file as -Path.";
        return false;
    }

    /// <summary>"2 tables piped in" style text for messages.</summary>
    public string Describe()
    {
        int rulesets = _rulesets.Count, tables = _tables.Count;
        var parts = new List<string>();
        if (rulesets > 0) parts.Add(rulesets == 1 ? "1 ruleset" : $"{rulesets} rulesets");
        if (tables > 0) parts.Add(tables == 1 ? "1 table" : $"{tables} tables");
        return string.Join(" and ", parts) + " given as -InputObject";
    }

    /// <summary>One ruleset of the whole tables given; a table given twice counts once (the first wins). Tables piped
    /// alone are read now, each with everything in it, in the namespace it was read from.</summary>
    public NftRuleset Build(CancellationToken cancellation)
    {
        var result = new NftRuleset();
        var seen = new HashSet<(NftFamily, string)>();
        foreach (var ruleset in _rulesets)
            foreach (var table in ruleset.Tables)
                if (seen.Add((table.Family, table.Name))) Take(result, ruleset, table.Family, table.Name);
        foreach (var table in _tables)
        {
            if (!seen.Add((table.Family, table.Name))) continue;
            var read = ConnectionCache.Use(table.NetworkNamespace, backend => RulesetSource.Read(backend,
                new RulesetQuery { Family = table.Family, Table = table.Name }, cancellation));
            if (read.FindTable(table.Family, table.Name) is null)
                throw new ItemNotFoundException($"{table} is no longer in {InputOrigin.Describe(table.NetworkNamespace)}, so its content cannot be read.");
            Take(result, read, table.Family, table.Name);
        }
        return result;
    }

    private static void Take(NftRuleset into, NftRuleset from, NftFamily family, string name)
    {
        bool In(INftTableObject o) => o.Family == family && o.Table == name;
        into.Tables.AddRange(from.Tables.Where(t => t.Family == family && t.Name == name));
        into.Chains.AddRange(from.Chains.Where(In));
        into.Sets.AddRange(from.Sets.Where(In));
        into.Objects.AddRange(from.Objects.Where(In));
        into.Flowtables.AddRange(from.Flowtables.Where(In));
        into.Rules.AddRange(from.Rules.Where(r => r.Family == family && r.Table == name));
    }
}
