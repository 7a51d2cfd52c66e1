using NftPS.Fuzz;
using NftPS.Tests.Conformance;
using Xunit.Abstractions;

namespace NftPS.Tests.Safety;

/// <summary>A small, seeded run of tools/NftPS.Fuzz (the same engine) for CI: a few thousand mutated inputs per target,
/// deterministic, no kernel. Any undesigned exception type or any input over 1 s of CPU fails the test and prints the
/// inputs; rerun them with `dotnet run --project tools/NftPS.Fuzz -- -Try …`. The full ≥ 200,000-input runs are in
/// docs/fuzzing.md.</summary>
public class FuzzSampleTests(ITestOutputHelper output)
{
    private const int InputsPerTarget = 3000;
    private const int Seed = 20261207;

    private static readonly Lazy<FuzzSeeds> Seeds = new(() => FuzzSeeds.Load(ConformanceCorpus.Root));

    [Theory]
    [InlineData(FuzzTarget.Rule)]
    [InlineData(FuzzTarget.Script)]
    [InlineData(FuzzTarget.Json)]
    public void Mutated_inputs_raise_only_designed_errors_and_none_is_slow(FuzzTarget target)
    {
        var report = new FuzzRunner(Seeds.Value).Run(target, InputsPerTarget, Seed);
        output.WriteLine(report.ToString());
        foreach (var f in report.Findings)
            output.WriteLine($"[{f.Kind}] {(f.Input.Length > 500 ? f.Input[..500] + "…" : f.Input)}\n  {f.Detail.Split('\n')[0]}");
        Assert.Equal(InputsPerTarget, report.Inputs);
        Assert.False(report.Hung, "an input hung");
        Assert.True(report.Crashes == 0, $"{report.Crashes} undesigned exceptions: {string.Join(", ", report.CrashTypes.Keys)}");
        Assert.Equal(0, report.Slow);
        // The sample must reach past the parser, or it proves little.
        Assert.True(report.Accepted > InputsPerTarget / 100, $"only {report.Accepted} inputs were accepted");
    }
}
