namespace NftPS.Bench.Workloads;

/// <summary>W3: listing the W1 ruleset (N rules) or a set of N elements, through the read cmdlets. nft's counterpart
/// is its text listing in every case (`nft list ruleset`, `nft list set`), written to /dev/null.</summary>
public sealed class Listing : SizedWorkload
{
    /// <summary><see cref="Kind.RulesQueried"/> reads a typed property of every rule (what `Where DestinationPort
    /// -contains P` costs on top of listing: the facts are computed on first read).</summary>
    public enum Kind { RulesAsObjects, RulesAsText, ElementsAsObjects, RulesQueried }

    private readonly Kind _kind;

    public Listing(Kind kind, int count, Target? target = null) : base(count, target) => _kind = kind;

    public override string Id => _kind switch
    {
        Kind.RulesAsObjects => $"W3-rules-obj-{Catalog.Count(Size)}",
        Kind.RulesAsText => $"W3-rules-text-{Catalog.Count(Size)}",
        Kind.RulesQueried => $"W3-rules-query-{Catalog.Count(Size)}",
        _ => $"W3-elems-{Catalog.Count(Size)}",
    };

    public override string Description => _kind switch
    {
        Kind.RulesAsObjects => $"Get-NftRule: {Size:N0} rules as objects (nft: list ruleset)",
        Kind.RulesAsText => $"Export-NftRuleset: {Size:N0} rules as text (nft: list ruleset)",
        Kind.RulesQueried => $"Get-NftRule | Where DestinationPort -contains P: {Size:N0} rules (nft: list ruleset)",
        _ => $"Get-NftSetElement: {Size:N0} elements as objects (nft: list set)",
    };

    public override string NftPsVia => "cmdlet";

    public override void Prepare(BenchContext context)
    {
        context.Flush();
        if (_kind == Kind.ElementsAsObjects)
            context.NftLoad("w3-set.nft", $"table ip t {{\n\tset s {{\n\t\ttype ipv4_addr\n\t\telements = {{ {CoreOps.ElementsText(Size)} }}\n\t}}\n}}\n");
        else
            context.NftLoad("w3-rules.nft", CoreOps.RulesetText(Size));
    }

    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) =>
        new[] { _kind == Kind.ElementsAsObjects ? new[] { "list", "set", "ip", "t", "s" } : new[] { "list", "ruleset" } };

    public override void RunNftPs(NftPsSession session, int run)
    {
        string script = _kind switch
        {
            Kind.RulesAsObjects => "$r = Get-NftRule -NetworkNamespace $ns -Table filter; $r.Count",
            Kind.RulesAsText => "$t = Export-NftRuleset -NetworkNamespace $ns; $t.Length",
            Kind.RulesQueried => $"$r = @(Get-NftRule -NetworkNamespace $ns -Table filter | Where DestinationPort -contains {CoreOps.RulePort(Size - 1)}); $r.Count",
            _ => "$e = Get-NftSetElement -NetworkNamespace $ns -Table t -Set s; $e.Count",
        };
        var output = session.Invoke(script);
        long n = output.Count == 1 ? Convert.ToInt64(output[0].BaseObject) : -1;
        long expected = _kind is Kind.RulesAsText or Kind.RulesQueried ? 1 : Size;
        if (n < expected) throw new InvalidOperationException($"{Id}: NftPS returned {n}, expected at least {expected}.");
    }
}
