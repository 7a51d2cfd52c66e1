using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.Language.Json;
using NftPS.Language.Script;
using NftPS.NfTables;
using NftPS.NfTables.Reading;

namespace NftPS.Cmdlets;

/// <summary>nft -f FILE: reads the nft file language (table blocks, add/insert/replace/delete/flush commands, define,
/// include) and applies the whole file as one atomic transaction. -Validate only has the kernel check it (nft -c).
/// With -AsJson the file is libnftables JSON (nft -j -f): `nft -j list ruleset` output or a JSON command list.</summary>
[Cmdlet(VerbsData.Import, "NftRuleset", SupportsShouldProcess = true, DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftPendingChange))]
public sealed partial class ImportNftRulesetCommand : NftChangeCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = "";

    /// <summary>Directories searched for `include` files after the including file's own directory.</summary>
    [Parameter]
    public string[]? IncludePath { get; set; }

    [Parameter]
    public SwitchParameter Validate { get; set; }

    /// <summary>The file is libnftables JSON rather than nft's language (implied by a .json file name).</summary>
    [Parameter]
    public SwitchParameter AsJson { get; set; }

    /// <summary>Arm a rollback of the tables the file touches, undone unless Confirm-NftChange keeps it in time.</summary>
    [Parameter]
    [Lockout.ConfirmWindow]
    public TimeSpan? ConfirmWithin { get; set; }

    private protected override bool CheckOnly => Validate;
    private protected override TimeSpan? ConfirmWindow => ConfirmWithin;

    protected override void ProcessChange()
    {
        string full = GetUnresolvedProviderPathFromPSPath(Path);
        var includes = IncludePath?.Select(GetUnresolvedProviderPathFromPSPath).ToList();
        bool json = AsJson || full.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        var resets = new List<ScriptReset>();
        var created = new HashSet<(NftFamily, string)>();
        bool built = false;
        var queued = Queue(full, Validate ? "Validate ruleset file" : "Import ruleset file", (batch, scope) =>
        {
            if (json)
            {
                JsonScript.ParseFile(full).QueueOn(batch, new ScriptContext
                {
                    FindExistingSet = (f, t, n) => scope.FindSet(f, t, n, ReadSets),
                    FindExistingChain = FindChainHandle,
                    Ids = scope.Ids,
                });
                return;
            }
            var script = NftScript.ParseFile(full, includes);
            script.QueueOn(batch, new ScriptContext
            {
                FindExistingSet = (f, t, n) => scope.FindSet(f, t, n, ReadSets),
                FindExistingChain = FindChainHandle,
                Ids = scope.Ids,
                Warning = WriteWarning,
                Resets = resets,
            });
            foreach (var op in batch.Operations)
                if (op.Operation is NftPS.NfTables.Operations.TableOperation { Verb: NftPS.NfTables.Operations.NftVerb.Add or NftPS.NfTables.Operations.NftVerb.Create } t)
                    created.Add((t.Family, t.Name));
            built = true;
        });
        if (built && resets.Count > 0) RunResets(full, resets, created, declined: queued is null);
    }

    /// <summary>The handle of a chain the kernel holds (for `rename chain`), or null; read when a file asks.</summary>
    private ulong? FindChainHandle(NftFamily family, string table, string name) => ReadRuleset(new RulesetQuery
    {
        Family = family, Table = table, IncludeTables = false, IncludeChains = true, IncludeRules = false,
        IncludeSets = false, IncludeElements = false, IncludeObjects = false, IncludeFlowtables = false,
    })?.FindChain(family, table, name)?.Handle;
}
