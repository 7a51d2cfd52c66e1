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

    /// <summary>Elements piped from Get-NftSetElement keep their counter values (packets, bytes) and quota usage;
    /// without it they start from zero.</summary>
    [Parameter]
    public SwitchParameter IncludeCounters { get; set; }

    /// <summary>Elements piped from Get-NftSetElement are copied (with their timeout, comment and statements) where
    /// -NetworkNamespace says, even when read in another namespace.</summary>
    private protected override string? TemplateKind => "NftSetElement";

    private protected override string Verb => "add";
    private protected override string Action => "Add element";
    private protected override TimeSpan? ElementTimeout => Timeout;
    private protected override string? ElementComment => Comment;
    private protected override ElementCopy ElementCopy => IncludeCounters ? ElementCopy.WithCounters : ElementCopy.Declared;
}
