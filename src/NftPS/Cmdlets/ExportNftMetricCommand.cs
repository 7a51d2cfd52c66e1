using System.Management.Automation;
using NftPS.Language.Metrics;
using NftPS.NfTables;
using NftPS.NfTables.Reading;

namespace NftPS.Cmdlets;

/// <summary>The ruleset's counters in Prometheus text format (for node_exporter's textfile collector): returned as
/// text, or written to -Path atomically (a temporary file in the same directory, then renamed).</summary>
[Cmdlet(VerbsData.Export, "NftMetric", DefaultParameterSetName = ToPipelineParameterSet, SupportsShouldProcess = true)]
[OutputType(typeof(string), ParameterSetName = new[] { ToPipelineParameterSet })]
[OutputType(typeof(FileInfo), ParameterSetName = new[] { ToFileParameterSet })]
public sealed class ExportNftMetricCommand : NftCmdletBase
{
    public const string ToPipelineParameterSet = "ToPipeline";
    public const string ToFileParameterSet = "ToFile";

    /// <summary>The .prom file to write (in the collector's --collector.textfile.directory).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ToFileParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily? Family { get; set; }

    /// <summary>With -Path, also output the file written.</summary>
    [Parameter(ParameterSetName = ToFileParameterSet)]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string? text = Invoke(connection => RulesetMetrics.Format(RulesetSource.Read(connection,
            new RulesetQuery { Family = Family ?? NftFamily.Unspecified }, Cancellation)), NetworkNamespace);
        if (text is null) return;
        if (ParameterSetName == ToPipelineParameterSet)
        {
            WriteObject(text);
            return;
        }
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, "Write nftables metrics")) return;
        try
        {
            MetricsFile.WriteAtomically(path, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, "NftMetricWriteFailed", ErrorCategory.WriteError, path));
            return;
        }
        if (PassThru) WriteObject(new FileInfo(path));
    }
}
