using System.Management.Automation;
using NftPS.Cmdlets.Changes;

namespace NftPS.Cmdlets;

/// <summary>add element: `1..1000 | % { "10.0.$([int]($_/256)).$($_%256)" } | Add-NftSetElement -Table t -Set s`.</summary>
[Cmdlet(VerbsCommon.Add, "NftSetElement", SupportsShouldProcess = true, DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(void))]
public sealed class AddNftSetElementCommand : SetElementCommandBase
{
    /// <summary>Lifetime of each element (the set needs the timeout flag).</summary>
    [Parameter]
    public TimeSpan? Timeout { get; set; }

    [Parameter]
    public string? Comment { get; set; }

    private protected override string Verb => "add";
    private protected override string Action => "Add element";
    private protected override TimeSpan? ElementTimeout => Timeout;
    private protected override string? ElementComment => Comment;
}
