using NftPS.Language;
using NftPS.Language.Printing;
using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists the elements of sets and maps; takes sets from the pipeline (`Get-NftSet -Table t | Get-NftSetElement`).</summary>
[Cmdlet(VerbsCommon.Get, "NftSetElement", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftSetElement))]
public sealed class GetNftSetElementCommand : NftTableContentGetCommandBase
{
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SetNameCompleter))]
    [Alias("SetName")]
    public string? Set { get; set; }

    protected override void ProcessRecord()
    {
        var tables = NameFilter.Create(Table);
        var sets = NameFilter.Create(Set);
        var ruleset = ReadRuleset(RulesetSource.Query(Family, tables, elements: true));
        if (ruleset is null) return;
        foreach (var table in ruleset.Tables) NameFilter.Matches(tables, table.Name);
        WriteNotFound(tables, "table", Family is NftFamily f ? $"family {f.ToKeyword()}" : null);
        if (tables?.UnmatchedLiterals.Any() == true) return;
        foreach (var set in ruleset.Sets)
        {
            if (set.IsAnonymous && sets?.SingleLiteral != set.Name) continue;
            if (!NameFilter.Matches(tables, set.Table) || !NameFilter.Matches(sets, set.Name)) continue;
            // One object per element as nft lists it: interval end markers fold into their start element.
            var progress = new ProgressReporter(this, $"Listing elements of set {set.Family.ToKeyword()} {set.Table} {set.Name}");
            long written = 0, total = set.Elements.Count;
            NftPS.Language.Query.ElementValueReader.Attach(set);
            foreach (var (element, value) in SetElementPrinter.DescribeElements(set, ruleset))
            {
                element.Value = value;
                WriteObject(element);
                progress.Report(() => $"{written:N0} elements", ++written, total);
            }
            progress.Complete();
        }
        WriteNotFound(sets, "set", Table is null ? null : Where("table", Family, Table));
    }
}
