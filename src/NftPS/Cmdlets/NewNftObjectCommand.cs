using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>add counter / add quota / add limit: a named stateful object that rules refer to by name.</summary>
[Cmdlet(VerbsCommon.New, "NftObject", SupportsShouldProcess = true, DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftNamedObject))]
public sealed class NewNftObjectCommand : NftChangeCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("counter", "quota", "limit")]
    public string Type { get; set; } = "";

    /// <summary>For a quota: '100 mbytes', 'over 2 gbytes', '100 mbytes used 10 mbytes'.</summary>
    [Parameter]
    public string? Quota { get; set; }

    /// <summary>For a limit: '10/second', '50/second burst 20 packets', 'over 1 mbytes/second'.</summary>
    [Parameter]
    public string? Rate { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Comment { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>A counter or quota piped from Get-NftObject keeps its packets and bytes (counter) or its usage (quota);
    /// without it the copy starts from zero.</summary>
    [Parameter]
    public SwitchParameter IncludeCounters { get; set; }

    /// <summary>A piped counter, quota or limit is copied (with its quota or rate) where -NetworkNamespace says.</summary>
    private protected override string? TemplateKind => "NftNamedObject";

    protected override void ProcessChange()
    {
        // The kernel's kind names bind by property name ("Counter"); nft's keywords are lower case.
        Type = Type.ToLowerInvariant();
        string? state = null;
        // Locals, not the parameters: a value read from one piped template must not stay for the next one.
        string? quota = Quota, rate = Rate;
        if (InputIsTemplate && InvocationIntrospection.CurrentPipelineObject(this) is { } template)
        {
            // The object's body as nft lists it (with -IncludeCounters) or as nft -s lists it: one declaration line
            // for a quota or limit, the counter values for a counter.
            string read = string.Join(" ", Lines(template, IncludeCounters ? "BodyLines" : "StatelessBodyLines"));
            switch (Type)
            {
                case "quota": quota ??= read; break;
                case "limit": rate ??= read.StartsWith("rate ", StringComparison.Ordinal) ? read[5..] : read; break;
                case "counter" when read.Length > 0: state = read; break;
            }
        }
        if ((ValueChecks.Names(("Table", Table), ("Name", Name)) ?? ValueChecks.Comment(Comment)
             ?? ValueChecks.Declaration("Quota", quota) ?? ValueChecks.Declaration("Rate", rate)
             ?? ValueChecks.Declaration("InputObject", state)) is { } refused)
        {
            ReportError(refused);
            return;
        }
        string body = Type switch
        {
            "quota" => quota ?? throw Bad("A quota needs -Quota, e.g. '100 mbytes' or 'over 2 gbytes'."),
            "limit" => "rate " + (rate ?? throw Bad("A limit needs -Rate, e.g. '10/second'.")),
            _ => state ?? "",
        };
        if (Comment is not null) body = (body.Length > 0 ? body + "; " : "") + "comment " + LanguageAdapter.Quote(Comment);
        string command = $"add {Type} {Family.ToKeyword()} {LanguageAdapter.Name(Table)} {LanguageAdapter.Name(Name)}" +
                         (body.Length > 0 ? $" {{ {body}; }}" : "");
        var queued = Queue($"{Type} {Family.ToKeyword()} {Table} {Name}", $"Create {Type}",
            (batch, scope) => LanguageAdapter.QueueCommands(batch, scope, ReadSets, command, expectedCommands: 1));
        if (PassThru) RequestPassThru(queued, NfTablesMessageType.NewObject, CreatedKind.Object, Family, Table, Name);
    }

    private static IEnumerable<string> Lines(System.Management.Automation.PSObject o, string property)
    {
        object? v = o.Properties[property]?.Value;
        v = v is System.Management.Automation.PSObject p ? p.BaseObject : v;
        return v switch
        {
            string one => new[] { one },
            System.Collections.IEnumerable many => many.Cast<object?>().Select(x => x?.ToString() ?? ""),
            _ => Array.Empty<string>(),
        };
    }

    private Exception Bad(string message)
    {
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), "NftObjectSpecMissing", ErrorCategory.InvalidArgument, Name));
        return new InvalidOperationException();
    }
}
