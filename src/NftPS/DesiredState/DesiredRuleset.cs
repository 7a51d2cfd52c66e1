using NftPS.Language;
using NftPS.Language.Json;
using NftPS.Language.Printing;
using NftPS.Language.Script;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;

namespace NftPS.DesiredState;

/// <summary>A desired state compiled once: the tables it manages, each as the kernel would hold it after `nft -f`
/// of the source (model objects like a snapshot's, without handles), plus the operations that create each object.
/// Built from nft text or a file (define/include), libnftables JSON, or model objects (a snapshot from another
/// host). The source is compiled by the same pipeline as Import-NftRuleset, and the resulting batch is simulated
/// command by command (a file may start with `flush table` or `delete table`), so what remains is exactly what the
/// kernel would hold.</summary>
internal sealed class DesiredRuleset
{
    private readonly List<DesiredTable> _tables;
    private readonly List<(NftFamily Family, string Table)> _absent;

    private DesiredRuleset(List<DesiredTable> tables, List<(NftFamily, string)> absent)
    {
        _tables = tables;
        _absent = absent;
        foreach (var t in tables)
        {
            Model.Tables.Add(t.Model);
            foreach (var o in t.Objects.Items) Model.Objects.Add(o.Model);
            foreach (var s in t.Sets.Items) Model.Sets.Add(s.Model);
            foreach (var f in t.Flowtables.Items) Model.Flowtables.Add(f.Model);
            foreach (var c in t.Chains.Items)
            {
                Model.Chains.Add(c.Model);
                c.Model.RuleCount = c.Rules.Count;
                for (int i = 0; i < c.Rules.Count; i++)
                {
                    var r = c.Rules[i].Model;
                    r.Position = i;
                    r.RuleCount = c.Rules.Count;
                    Model.Rules.Add(r);
                }
            }
        }
    }

    /// <summary>The managed tables and everything in them, as model objects.</summary>
    public NftRuleset Model { get; } = new();

    /// <summary>The desired tables with the operations that create their objects.</summary>
    internal IReadOnlyList<DesiredTable> Tables => _tables;

    /// <summary>Tables the source names only to delete them (`delete table` with no table block after it): managed,
    /// and absent from the desired state.</summary>
    internal IReadOnlyList<(NftFamily Family, string Table)> AbsentTables => _absent;

    public static DesiredRuleset FromText(string text, string? fileName = null, IReadOnlyList<string>? includePath = null,
        ScriptContext? context = null) => Compile(NftScript.Parse(text, fileName, includePath).QueueOn, context);

    public static DesiredRuleset FromFile(string path, IReadOnlyList<string>? includePath = null, ScriptContext? context = null) =>
        Compile(NftScript.ParseFile(path, includePath).QueueOn, context);

    public static DesiredRuleset FromJson(string json, ScriptContext? context = null) =>
        Compile(JsonScript.Parse(json).QueueOn, context);

    /// <summary>Model objects (a snapshot, maybe read on another host): printed as nft writes them without state
    /// (`nft -s`) and compiled, so only what a text carries counts, never handles or counters.</summary>
    public static DesiredRuleset FromRuleset(NftRuleset ruleset, ScriptContext? context = null)
    {
        if (ruleset.Rules.Any(r => r.Text.Length == 0 && (r.Expressions.Count > 0 || r.RawExpressions.Length > 0)))
            RulesetDescriber.DescribeRules(ruleset);
        RulesetDescriber.DescribeSets(ruleset);
        string text = RulesetPrinter.Print(ruleset, new RulesetPrintOptions { Stateless = true, Strict = true });
        return FromText(text, null, null, context);
    }

    /// <summary>A desired state in which <paramref name="tables"/> do not exist (the automation's "_exist": false):
    /// they are managed, and deleted where present.</summary>
    public static DesiredRuleset Absent(IEnumerable<(NftFamily Family, string Table)> tables) =>
        new(new List<DesiredTable>(), tables.Distinct().ToList());

    private static DesiredRuleset Compile(Action<NftBatch, ScriptContext?> queue, ScriptContext? context)
    {
        context ??= new ScriptContext();
        var staging = new NftBatch();
        queue(staging, context);
        var sim = new DesiredSimulation();
        foreach (var op in staging.TypedOperations) sim.Apply(op);
        return sim.Finish((tables, absent) => new DesiredRuleset(tables, absent));
    }
}
