using NftPS.NfTables;
using NftPS.NfTables.Writing;

namespace NftPS.Bench.Workloads;

/// <summary>W2a: a new ipv4_addr set created together with its N elements in one transaction.</summary>
public sealed class NewSetWithElements : SizedWorkload
{
    public NewSetWithElements(int count, Target? target = null) : base(count, target) { }

    public override string Id => $"W2a-{Catalog.Count(Size)}";
    public override string Description => $"new set with {Size:N0} elements";

    public override void Prepare(BenchContext context) => System.IO.File.WriteAllText(context.File("w2a.nft"),
        $"table ip t {{\n\tset s {{\n\t\ttype ipv4_addr\n\t\telements = {{ {CoreOps.ElementsText(Size)} }}\n\t}}\n}}\n");
    public override void Reset(BenchContext context, int run) => context.Flush();
    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => NftLoadFile(context, "w2a.nft");

    public override void RunNftPs(NftPsSession session, int run)
    {
        var batch = new NftBatch();
        batch.AddTable(NftFamily.Ip, CoreOps.SetTable);
        // The size hint a cmdlet creating a set with its elements would give (SetSizeHint), as nft's `size`.
        batch.AddSet(NftFamily.Ip, CoreOps.SetTable, CoreOps.PlainSet(SetSizeHint.ForNewSet(Size)), "type ipv4_addr;");
        batch.AddElementKeys(NftFamily.Ip, CoreOps.SetTable, CoreOps.Set, CoreOps.PlainKeys(Size), 4, CoreOps.DescribeIpv4Key, setId: 1);
        session.Execute(batch);
    }
}

/// <summary>W2b: N elements added to an existing empty ipv4_addr set.</summary>
public sealed class ElementsIntoExistingSet : SizedWorkload
{
    public ElementsIntoExistingSet(int count, Target? target = null) : base(count, target) { }

    public override string Id => $"W2b-{Catalog.Count(Size)}";
    public override string Description => $"{Size:N0} elements into an existing empty set";

    public override void Prepare(BenchContext context) => System.IO.File.WriteAllText(context.File("w2b.nft"),
        $"add element ip t s {{ {CoreOps.ElementsText(Size)} }}\n");

    public override void Reset(BenchContext context, int run)
    {
        context.Flush();
        context.NftLoad("w2b-base.nft", "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n}\n");
    }

    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => NftLoadFile(context, "w2b.nft");

    public override void RunNftPs(NftPsSession session, int run)
    {
        var batch = new NftBatch();
        batch.AddElementKeys(NftFamily.Ip, CoreOps.SetTable, CoreOps.Set, CoreOps.PlainKeys(Size), 4, CoreOps.DescribeIpv4Key);
        session.Execute(batch);
    }
}

/// <summary>W2i: a new interval set with N /25 prefixes in one transaction.</summary>
public sealed class IntervalSetWithPrefixes : SizedWorkload
{
    public IntervalSetWithPrefixes(int count, Target? target = null) : base(count, target) { }

    public override string Id => $"W2i-{Catalog.Count(Size)}";
    public override string Description => $"interval set with {Size:N0} /25 prefixes";

    public override void Prepare(BenchContext context) => System.IO.File.WriteAllText(context.File("w2i.nft"), IntervalSetText(Size));
    public override void Reset(BenchContext context, int run) => context.Flush();
    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => NftLoadFile(context, "w2i.nft");

    public override void RunNftPs(NftPsSession session, int run)
    {
        var batch = new NftBatch();
        batch.AddTable(NftFamily.Ip, CoreOps.SetTable);
        batch.AddSet(NftFamily.Ip, CoreOps.SetTable, CoreOps.IntervalSet(), "type ipv4_addr; flags interval;");
        batch.AddElements(NftFamily.Ip, CoreOps.SetTable, CoreOps.Set, CoreOps.PrefixElements(Size), CoreOps.DescribeIpv4, setId: 1);
        session.Execute(batch);
    }

    public static string IntervalSetText(int count, string setName = "s") =>
        $"table ip t {{\n\tset {setName} {{\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = {{ {CoreOps.PrefixesText(count)} }}\n\t}}\n}}\n";
}

/// <summary>W5: 100 transactions of 100 elements each; nft needs one process per transaction, NftPS one session.</summary>
public sealed class ManySmallTransactions : Workload
{
    private const int Transactions = 100, PerTransaction = 100;

    public override string Id => "W5";
    public override string Description => $"{Transactions} transactions × {PerTransaction} elements";
    public override Target? Target => Target.Absolute(30);

    public override void Reset(BenchContext context, int run)
    {
        context.Flush();
        context.NftLoad("w5-base.nft", "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n}\n");
    }

    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) =>
        Enumerable.Range(0, Transactions).Select(t =>
            new[] { "add", "element", "ip", "t", "s", "{ " + CoreOps.ElementsText(PerTransaction, (uint)(t * PerTransaction)) + " }" }).ToArray();

    public override void RunNftPs(NftPsSession session, int run)
    {
        for (int t = 0; t < Transactions; t++)
        {
            var batch = new NftBatch();
            batch.AddElementKeys(NftFamily.Ip, CoreOps.SetTable, CoreOps.Set, CoreOps.PlainKeys(PerTransaction, (uint)(t * PerTransaction)), 4,
                CoreOps.DescribeIpv4Key);
            session.Execute(batch);
        }
    }
}
