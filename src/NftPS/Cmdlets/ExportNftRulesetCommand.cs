using System.Management.Automation;
using System.Text;
using NftPS.Language.Json;
using NftPS.NfTables;
using NftPS.NfTables.Reading;

namespace NftPS.Cmdlets;

/// <summary>The ruleset as `nft list ruleset` prints it (or with -AsJson as `nft -j list ruleset` does): returned
/// as text, or written to a file with -Path.</summary>
[Cmdlet(VerbsData.Export, "NftRuleset", DefaultParameterSetName = ToPipelineParameterSet, SupportsShouldProcess = true)]
[OutputType(typeof(string), ParameterSetName = new[] { ToPipelineParameterSet })]
[OutputType(typeof(FileInfo), ParameterSetName = new[] { ToFileParameterSet })]
public sealed class ExportNftRulesetCommand : NftCmdletBase
{
    public const string ToPipelineParameterSet = "ToPipeline";
    public const string ToFileParameterSet = "ToFile";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ToFileParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Leave out stateful values (counters, quotas' usage), as `nft -s list ruleset` does.</summary>
    [Parameter]
    public SwitchParameter Stateless { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily? Family { get; set; }

    /// <summary>The libnftables JSON schema instead of nft's syntax, as `nft -j list ruleset` prints it.</summary>
    [Parameter]
    public SwitchParameter AsJson { get; set; }

    /// <summary>With -Path, also output the file written.</summary>
    [Parameter(ParameterSetName = ToFileParameterSet)]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string? text = Invoke(connection =>
        {
            var ruleset = RulesetSource.Read(connection, new RulesetQuery { Family = Family ?? NftFamily.Unspecified }, Cancellation);
            return AsJson
                ? RulesetJson.ToText(ruleset, new NftJsonOptions { Stateless = Stateless }) + "\n"
                : RulesetSource.Print(ruleset, Stateless);
        }, NetworkNamespace);
        if (text is null) return;
        if (ParameterSetName == ToPipelineParameterSet)
        {
            WriteObject(text);
            return;
        }
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, "Write the nft ruleset")) return;
        try
        {
            File.WriteAllText(path, text, new UTF8Encoding(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, "NftExportWriteFailed", ErrorCategory.WriteError, path));
            return;
        }
        if (PassThru) WriteObject(new FileInfo(path));
    }
}
