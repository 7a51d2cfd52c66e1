using NftPS.NfTables;

namespace NftPS.Bench.Workloads;

/// <summary>W1: table inet filter, a base output chain and N rules `ip daddr 10.x.y.z tcp dport P counter accept`, one transaction.</summary>
public sealed class RulesetTransaction : SizedWorkload
{
    public RulesetTransaction(int rules, Target? target = null) : base(rules, target) { }

    public override string Id => $"W1-{Catalog.Count(Size)}";
    public override string Description => $"{Size:N0} rules in one transaction";

    public override void Prepare(BenchContext context) => System.IO.File.WriteAllText(context.File("w1.nft"), CoreOps.RulesetText(Size));
    public override void Reset(BenchContext context, int run) => context.Flush();
    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => NftLoadFile(context, "w1.nft");

    public override void RunNftPs(NftPsSession session, int run)
    {
        var batch = new NftBatch();
        CoreOps.AddRuleset(batch, Size);
        session.Execute(batch);
    }
}
