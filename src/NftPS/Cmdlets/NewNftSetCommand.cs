using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>add set: a named set, e.g. `New-NftSet -Table filter -Name blocked -Type ipv4_addr -Flags interval -Element 10.0.0.0/8`.</summary>
[Cmdlet(VerbsCommon.New, "NftSet", SupportsShouldProcess = true, DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftSet))]
public sealed class NewNftSetCommand : SetDefinitionCommandBase
{
    private protected override bool IsMap => false;
    private protected override string? DataDeclaration => null;
}
