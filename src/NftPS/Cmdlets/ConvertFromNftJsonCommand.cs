using System.Management.Automation;
using System.Text;
using NftPS.Language.Json;

namespace NftPS.Cmdlets;

/// <summary>libnftables JSON (`nft -j list ruleset` output or a JSON command list) as the nft file text it stands
/// for: one document that Import-NftRuleset loads. Nothing is read from or sent to the kernel.</summary>
[Cmdlet(VerbsData.ConvertFrom, "NftJson", DefaultParameterSetName = FromTextParameterSet)]
[OutputType(typeof(string))]
public sealed class ConvertFromNftJsonCommand : PSCmdlet
{
    public const string FromTextParameterSet = "FromText";
    public const string FromPathParameterSet = "FromPath";

    /// <summary>JSON text; pipeline strings (such as the lines Get-Content writes) are joined into one document.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = FromTextParameterSet)]
    [AllowEmptyString]
    public string InputObject { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = FromPathParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = "";

    private readonly StringBuilder _text = new();
    private bool _any;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == FromPathParameterSet)
        {
            string full = GetUnresolvedProviderPathFromPSPath(Path);
            string json;
            try
            {
                json = NftPS.Language.Script.SourceFile.Read(full);
            }
            catch (NftPS.Language.Script.NftInputFileException e)
            {
                WriteError(NftErrors.FromException(e, full));
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                bool missing = e is FileNotFoundException or DirectoryNotFoundException;
                WriteError(new ErrorRecord(e, missing ? "NftJsonFileNotFound" : "NftJsonFileUnreadable",
                    missing ? ErrorCategory.ObjectNotFound : e is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError, full));
                return;
            }
            Convert(json, full);
            return;
        }
        if (_any) _text.Append('\n');
        _text.Append(InputObject);
        _any = true;
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == FromTextParameterSet && _any) Convert(_text.ToString(), "JSON input");
    }

    private void Convert(string json, object target)
    {
        try
        {
            WriteObject(JsonScript.Parse(json).Text);
        }
        catch (NftJsonException e)
        {
            WriteError(NftErrors.FromException(e, target));
        }
    }
}
