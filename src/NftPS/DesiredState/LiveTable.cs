using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.DesiredState;

/// <summary>One managed table of the host's snapshot, indexed by name for the comparison. Rule keys are computed
/// once per rule, only for the managed tables.</summary>
internal sealed class LiveTable
{
    public NftTable? Table { get; set; }
    public Dictionary<string, NftChain> Chains { get; } = new(StringComparer.Ordinal);
    public List<NftChain> ChainOrder { get; } = new();
    public Dictionary<string, NftSet> Sets { get; } = new(StringComparer.Ordinal);
    public List<NftSet> SetOrder { get; } = new();
    public AnonymousSets Anonymous { get; } = new();
    public Dictionary<string, NftNamedObject> Objects { get; } = new(StringComparer.Ordinal);
    public List<NftNamedObject> ObjectOrder { get; } = new();
    public Dictionary<string, NftFlowtable> Flowtables { get; } = new(StringComparer.Ordinal);
    public List<NftFlowtable> FlowtableOrder { get; } = new();
    public Dictionary<string, List<NftRule>> Rules { get; } = new(StringComparer.Ordinal);
    private readonly Dictionary<NftRule, RuleKeys.Info> _infos = new(ReferenceEqualityComparer.Instance);

    public RuleKeys.Info InfoOf(NftRule rule)
    {
        if (_infos.TryGetValue(rule, out var info)) return info;
        var expressions = rule.Expressions.Count == 0 && rule.RawExpressions.Length > 0 && !rule.HasUndecodedExpressions
            ? ExpressionCodec.DecodeList(rule.RawExpressions) : rule.Expressions;
        info = RuleKeys.Compute(expressions, rule.Comment, Anonymous);
        if (rule.HasUndecodedExpressions && expressions.Count == 0)
            info = info with { Key = rule.RawExpressions.Concat(new byte[] { 0xff }).ToArray() }; // never equal to a compiled rule
        _infos[rule] = info;
        return info;
    }

    public static string ObjectKey(uint type, string name) => type + "/" + name;

    public static Dictionary<(NftFamily, string), LiveTable> Index(NftRuleset live, IEnumerable<(NftFamily Family, string Table)> managed)
    {
        var d = new Dictionary<(NftFamily, string), LiveTable>();
        foreach (var m in managed) d[(m.Family, m.Table)] = new LiveTable();
        LiveTable? Of(NftFamily f, string t) => d.TryGetValue((f, t), out var lt) ? lt : null;
        foreach (var t in live.Tables) if (Of(t.Family, t.Name) is { } lt) lt.Table = t;
        foreach (var c in live.Chains)
            if (Of(c.Family, c.Table) is { } lt && !c.IsBinding) { lt.Chains[c.Name] = c; lt.ChainOrder.Add(c); }
        foreach (var s in live.Sets)
        {
            if (Of(s.Family, s.Table) is not { } lt) continue;
            if (s.IsAnonymous) lt.Anonymous.Add(s, null);
            else { lt.Sets[s.Name] = s; lt.SetOrder.Add(s); }
        }
        foreach (var o in live.Objects)
            if (Of(o.Family, o.Table) is { } lt) { lt.Objects[ObjectKey((uint)o.Type, o.Name)] = o; lt.ObjectOrder.Add(o); }
        foreach (var f in live.Flowtables)
            if (Of(f.Family, f.Table) is { } lt) { lt.Flowtables[f.Name] = f; lt.FlowtableOrder.Add(f); }
        foreach (var r in live.Rules)
        {
            if (Of(r.Family, r.Table) is not { } lt) continue;
            if (!lt.Rules.TryGetValue(r.Chain, out var list)) lt.Rules[r.Chain] = list = new List<NftRule>();
            list.Add(r);
        }
        foreach (var lt in d.Values)
            foreach (var list in lt.Rules.Values) list.Sort((a, b) => a.Position.CompareTo(b.Position));
        return d;
    }
}
