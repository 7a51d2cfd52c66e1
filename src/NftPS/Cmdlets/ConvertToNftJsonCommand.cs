using System.Management.Automation;
using System.Text.Json.Nodes;
using NftPS.Language.Json;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Cmdlets;

/// <summary>Writes NftPS objects in the libnftables JSON schema, as `nft -j list …` prints them: one document
/// {"nftables": [{"metainfo": …}, …]} for all the objects piped in, in the order they came.</summary>
[Cmdlet(VerbsData.ConvertTo, "NftJson")]
[OutputType(typeof(string))]
public sealed class ConvertToNftJsonCommand : NftCmdletBase
{
    /// <summary>A ruleset (Get-NftRuleset: everything in it), or a table, chain, rule, set, map, stateful object or
    /// flowtable (each becomes its own item).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <summary>Leave out counter values and quota usage, as `nft -s -j` does.</summary>
    [Parameter]
    public SwitchParameter Stateless { get; set; }

    /// <summary>Indent the document over several lines instead of nft's single line.</summary>
    [Parameter]
    public SwitchParameter Indented { get; set; }

    private readonly List<JsonNode> _items = new();
    private readonly Dictionary<(string?, NftFamily, string, string?), NftRuleset?> _context = new();

    private NftJsonOptions Options => new() { Stateless = Stateless };

    protected override void ProcessRecord()
    {
        object? input = InputObject is PSObject ps ? ps.BaseObject : InputObject;
        try
        {
            switch (input)
            {
                case NftRuleset rs:
                    _items.AddRange(RulesetJson.Items(rs, Options));
                    break;
                case NftTable t:
                    _items.Add(RulesetJson.Table(t));
                    break;
                case NftChain c:
                    _items.Add(RulesetJson.Chain(c));
                    break;
                case NftRule r:
                {
                    var context = Context(r.Family, r.Table, null);
                    if (context is null) return;
                    _items.Add(RulesetJson.Rule(r, context, Options));
                    break;
                }
                case NftSet s:
                {
                    var set = s;
                    if (!s.ElementsLoaded && s.ElementCount > 0)
                    {
                        var context = Context(s.Family, s.Table, s.Name);
                        if (context is null) return;
                        set = context.FindSet(s.Family, s.Table, s.Name) ?? s;
                    }
                    _items.Add(RulesetJson.Set(set, null, Options));
                    break;
                }
                case NftNamedObject o:
                    _items.Add(RulesetJson.Object(o, Options));
                    break;
                case NftFlowtable f:
                    _items.Add(RulesetJson.Flowtable(f));
                    break;
                default:
                    WriteError(new ErrorRecord(
                        new ArgumentException($"ConvertTo-NftJson takes NftPS rulesets, tables, chains, rules, sets, objects and flowtables, not {input?.GetType().FullName ?? "null"}."),
                        "NftJsonUnsupportedInput", ErrorCategory.InvalidArgument, InputObject));
                    break;
            }
        }
        catch (NftJsonUnsupportedException ex)
        {
            WriteError(new ErrorRecord(ex, "NftJsonNotSupported", ErrorCategory.NotImplemented, input));
        }
    }

    /// <summary>A rule's anonymous sets and anonymous chains, or a set's elements, are read from the namespace the
    /// object came from (its NetworkNamespace property binds -NetworkNamespace), once per table.</summary>
    private NftRuleset? Context(NftFamily family, string table, string? set)
    {
        if (!ResolveNamespace()) return null; // the input's own namespace, before it keys the cache
        var key = (NetworkNamespace, family, table, set);
        if (_context.TryGetValue(key, out var cached)) return cached;
        var query = new RulesetQuery
        {
            Family = family, Table = table, Set = set,
            IncludeChains = set is null, IncludeRules = set is null, IncludeSets = true, IncludeElements = set is not null,
            IncludeObjects = false, IncludeFlowtables = false, DescribeRules = false,
        };
        var ruleset = Invoke(connection => RulesetSource.Read(connection, query, Cancellation), InputObject);
        _context[key] = ruleset;
        return ruleset;
    }

    protected override void EndProcessing()
    {
        if (_items.Count == 0) return;
        WriteObject(NftJsonText.Write(RulesetJson.Document(_items), Indented));
    }
}
