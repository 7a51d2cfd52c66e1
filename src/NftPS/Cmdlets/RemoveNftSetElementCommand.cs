using System.Management.Automation;
using NftPS.Cmdlets.Changes;

namespace NftPS.Cmdlets;

/// <summary>delete element: takes values, or elements from Get-NftSetElement.</summary>
[Cmdlet(VerbsCommon.Remove, "NftSetElement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(void))]
public sealed class RemoveNftSetElementCommand : SetElementCommandBase
{
    private protected override string Verb => "delete";
    private protected override string Action => "Remove element";
}
