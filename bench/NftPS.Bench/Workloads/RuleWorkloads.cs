using NftPS.NfTables;

namespace NftPS.Bench.Workloads;

/// <summary>W1: table inet filter, a base output chain and N rules `ip daddr 10.x.y.z tcp dport P counter accept`, one transaction.</summary>
public sealed class RulesetTransaction : Workload
{
    private readonly int _rules;
    private readonly Target? _target;

    public RulesetTransaction(int rules, Target? target = null)
    {
        _rules = rules;
        _target = target;
    }

    public override string Id => $"W1-{Catalog.Count(_rules)}";
    public override string Description => $"{_rules:N0} rules in one transaction";
    public override Target? Target => _target;

    public override void Prepare(BenchContext context) => System.IO.File.WriteAllText(context.File("w1.nft"), CoreOps.RulesetText(_rules));
    public override void Reset(BenchContext context, int run) => context.Flush();
    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => new[] { new[] { "-f", context.File("w1.nft") } };

    public override void RunNftPs(NftPsSession session, int run)
    {
        var batch = new NftBatch();
        CoreOps.AddRuleset(batch, _rules);
        session.Execute(batch);
    }
}
