namespace NftPS.Bench.Workloads;

/// <summary>A workload whose NftPS side is the native nftps command (out/NftPS/nftps) started as its own process, the
/// way DSC and Ansible start it: measured exactly as nft is (spawned from a thread inside the namespace, wall and CPU
/// from wait4, peak RSS from a run under GNU time), so the ratio compares one-shot process against one-shot process.</summary>
public abstract class NativeCommandWorkload : SizedWorkload
{
    protected NativeCommandWorkload(int size, Target? target) : base(size, target) { }

    public static string Binary => Path.Combine(BenchPaths.ModuleDirectory, "nftps");

    public override string NftPsVia => "nftps";

    /// <summary>The nftps invocations of one run (arguments after the program name).</summary>
    public abstract IReadOnlyList<string[]> NftpsCommands(BenchContext context, int run);

    public override void RunNftPs(NftPsSession session, int run) =>
        throw new InvalidOperationException($"{Id} runs the nftps process (BenchRunner.MeasureNative), not a session.");
}

/// <summary>N1: `nftps export` (the ruleset as nft text) and `nftps test` (an identical desired state, compiled, the
/// managed table read and compared: 0 differences, exit 0) of the W1 ruleset, against `nft list ruleset` on it.</summary>
public sealed class NativeCommand : NativeCommandWorkload
{
    public enum Kind { Export, Test }

    private readonly Kind _kind;

    public NativeCommand(Kind kind, int rules, Target? target = null) : base(rules, target) => _kind = kind;

    public override string Id => $"N1-{(_kind == Kind.Export ? "export" : "test")}-{Catalog.Count(Size)}";

    public override string Description => _kind == Kind.Export
        ? $"nftps export: {Size:N0} rules as nft text, one process (nft: list ruleset)"
        : $"nftps test --path FILE: identical desired state of {Size:N0} rules, one process (nft: list ruleset)";

    public override void Prepare(BenchContext context)
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException($"{Binary} is missing: run dotnet build at the repository root first.");
        context.Flush();
        context.NftLoad("n1-rules.nft", CoreOps.RulesetText(Size));
    }

    public override IReadOnlyList<string[]> NftCommands(BenchContext context, int run) => new[] { new[] { "list", "ruleset" } };

    public override IReadOnlyList<string[]> NftpsCommands(BenchContext context, int run) => new[]
    {
        _kind == Kind.Export ? new[] { "export" } : new[] { "test", "--path", context.File("n1-rules.nft") },
    };
}
