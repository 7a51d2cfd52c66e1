using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.Language.Script;

namespace NftPS.Cmdlets;

/// <summary>nft -f FILE: reads the nft file language (table blocks, add/insert/replace/delete/flush commands, define,
/// include) and applies the whole file as one atomic transaction. -Validate only has the kernel check it (nft -c).</summary>
[Cmdlet(VerbsData.Import, "NftRuleset", SupportsShouldProcess = true, DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(void))]
public sealed class ImportNftRulesetCommand : NftChangeCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = "";

    /// <summary>Directories searched for `include` files after the including file's own directory.</summary>
    [Parameter]
    public string[]? IncludePath { get; set; }

    [Parameter]
    public SwitchParameter Validate { get; set; }

    private protected override bool CheckOnly => Validate;

    protected override void ProcessChange()
    {
        string full = GetUnresolvedProviderPathFromPSPath(Path);
        var includes = IncludePath?.Select(GetUnresolvedProviderPathFromPSPath).ToList();
        Queue(full, Validate ? "Validate ruleset file" : "Import ruleset file", (batch, scope) =>
        {
            var script = NftScript.ParseFile(full, includes);
            script.QueueOn(batch, new ScriptContext
            {
                FindExistingSet = (f, t, n) => scope.FindSet(f, t, n, ReadSets),
                Ids = scope.Ids,
                Warning = WriteWarning,
            });
        });
    }
}
