using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists tables.</summary>
[Cmdlet(VerbsCommon.Get, "NftTable", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftTable))]
public sealed class GetNftTableCommand : NftGetCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    public ulong[]? Handle { get; set; }

    protected override void ProcessRecord()
    {
        var names = NameFilter.Create(Name);
        var ruleset = ReadRuleset(RulesetSource.Query(Family, names));
        if (ruleset is null) return;
        foreach (var table in ruleset.Tables)
            if (NameFilter.Matches(names, table.Name) && (Handle is null || Handle.Contains(table.Handle)))
                WriteObject(table);
        WriteNotFound(names, "table", Family is NftFamily f ? $"family {f.ToKeyword()}" : null);
    }
}
