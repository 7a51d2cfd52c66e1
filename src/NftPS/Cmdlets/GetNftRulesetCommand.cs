using System.Management.Automation;
using NftPS.NfTables;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Reads the whole ruleset of a namespace as one consistent snapshot (one generation).</summary>
[Cmdlet(VerbsCommon.Get, "NftRuleset", DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftRuleset))]
public sealed class GetNftRulesetCommand : NftCmdletBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily? Family { get; set; }

    protected override void ProcessRecord()
    {
        var ruleset = ReadRuleset(new RulesetQuery { Family = Family ?? NftFamily.Unspecified });
        if (ruleset is not null) WriteObject(ruleset);
    }
}
