namespace NftPS.Bench.Workloads;

/// <summary>W3: listing the W1 ruleset (N rules) or a set of N elements, through the read cmdlets. nft's counterpart
/// is its text listing in every case (`nft list ruleset`, `nft list set`), written to /dev/null.</summary>
public sealed class Listing : Workload
{
    public enum Kind { RulesAsObjects, RulesAsText, ElementsAsObjects }

    private readonly Kind _kind;
    private readonly int _count;
    private readonly Target? _target;

    public Listing(Kind kind, int count, Target? target = null)
    {
        _kind = kind;
        _count = count;
        _target = target;
    }

    public override string Id => _kind switch
    {
        Kind.RulesAsObjects => $"W3-rules-obj-{Catalog.Count(_count)}",
        Kind.RulesAsText => $"W3-rules-text-{Catalog.Count(_count)}",
        _ => $"W3-elems-{Catalog.Count(_count)}",
    };

    public override string Description => _kind switch
    {
        Kind.RulesAsObjects => $"Get-NftRule: {_count:N0} rules as objects (nft: list ruleset)",
        Kind.RulesAsText => $"Export-NftRuleset: {_count:N0} rules as text (nft: list ruleset)",
        _ => $"Get-NftSetElement: {_count:N0} elements as objects (nft: list set)",
    };

    public override string NftPsVia => "cmdlet";
    public override Target? Target => _target;

    public override void Prepare(BenchContext context)
    {
        context.Flush();
        if (_kind == Kind.ElementsAsObjects)
            context.NftLoad("w3-set.nft", $"table ip t {{\n\tset s {{\n\t\ttype ipv4_addr\n\t\telements = {{ {CoreOps.ElementsText(_count)} }}\n\t}}\n}}\n");
        else
            context.NftLoad("w3-rules.nft", CoreOps.RulesetText(_count));
    }

    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) =>
        new[] { _kind == Kind.ElementsAsObjects ? new[] { "list", "set", "ip", "t", "s" } : new[] { "list", "ruleset" } };

    public override void RunNftPs(NftPsSession session, int run)
    {
        string script = _kind switch
        {
            Kind.RulesAsObjects => "$r = Get-NftRule -NetworkNamespace $ns -Table filter; $r.Count",
            Kind.RulesAsText => "$t = Export-NftRuleset -NetworkNamespace $ns; $t.Length",
            _ => "$e = Get-NftSetElement -NetworkNamespace $ns -Table t -Set s; $e.Count",
        };
        var output = session.Invoke(script);
        long n = output.Count == 1 ? Convert.ToInt64(output[0].BaseObject) : -1;
        long expected = _kind == Kind.RulesAsText ? 1 : _count;
        if (n < expected) throw new InvalidOperationException($"{Id}: NftPS returned {n}, expected at least {expected}.");
    }
}
