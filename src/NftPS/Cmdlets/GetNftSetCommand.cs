using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Lists named sets and maps (verdict maps and object maps included).</summary>
[Cmdlet(VerbsCommon.Get, "NftSet", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftSet))]
public sealed class GetNftSetCommand : NftTableObjectGetCommandBase
{
    /// <summary>Only maps (-Map) or only sets (-Map:$false).</summary>
    [Parameter]
    public SwitchParameter Map { get; set; }

    /// <summary>Also the anonymous sets the kernel keeps for rules such as `tcp dport { 22, 80 }`.</summary>
    [Parameter]
    public SwitchParameter IncludeAnonymous { get; set; }

    /// <summary>Also read the elements into each set's Elements (as Get-NftSetElement lists them), so that a set piped
    /// to New-NftSet is copied with them.</summary>
    [Parameter]
    public SwitchParameter IncludeElements { get; set; }

    protected override void ProcessRecord()
    {
        bool mapBound = MyInvocation.BoundParameters.ContainsKey(nameof(Map));
        WriteTableObjects(RulesetSource.Query(Family, NameFilter.Create(Table), sets: true, elements: IncludeElements), Family, Table, Name, Handle,
            "set", rs => IncludeElements ? rs.Sets.Select(set => WithDescribedElements(set, rs)) : rs.Sets,
            set => (IncludeAnonymous || !set.IsAnonymous) && (!mapBound || set.IsMap == Map.IsPresent));
    }

    // One element per entry as nft lists it (interval end markers folded into their start), each with its Value text.
    private static NftSet WithDescribedElements(NftSet set, NftRuleset ruleset)
    {
        var described = new List<NftSetElement>(set.Elements.Count);
        NftPS.Language.Query.ElementValueReader.Attach(set);
        foreach (var (element, value) in NftPS.Language.Printing.SetElementPrinter.DescribeElements(set, ruleset))
        {
            element.Value = value;
            described.Add(element);
        }
        set.Elements = described;
        return set;
    }
}
