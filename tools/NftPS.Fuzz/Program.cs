using NftPS.Fuzz;
using NftPS.NfTables;

// Mutation fuzzer for the rule compiler, the nft file parser and the JSON reader (docs/fuzzing.md).
//   dotnet run -c Release --project tools/NftPS.Fuzz -- [-Target rule|script|json|all] [-Count N] [-Seed S]
//   dotnet run --project tools/NftPS.Fuzz -- -Try rule inet 'ip ttl 1-2 | 3'     (one input, its outcome)
//   dotnet run --project tools/NftPS.Fuzz -- -Try script @deep.nft                (input read from a file)
// Exit code: 0 when every target ran clean (no undesigned exception, nothing over 1 s, no hang), 1 otherwise.
var targets = new List<FuzzTarget>();
long count = 200_000;
int seed = 1;
for (int i = 0; i < args.Length; i++)
{
    string a = args[i].TrimStart('-').ToLowerInvariant();
    if (a == "target" && i + 1 < args.Length)
    {
        string t = args[++i].ToLowerInvariant();
        if (t == "all") targets.AddRange(Enum.GetValues<FuzzTarget>());
        else targets.Add(Enum.Parse<FuzzTarget>(t, ignoreCase: true));
    }
    else if (a == "count" && i + 1 < args.Length) count = long.Parse(args[++i]);
    else if (a == "seed" && i + 1 < args.Length) seed = int.Parse(args[++i]);
    else if (a == "try" && i + 2 < args.Length) return Try(args[(i + 1)..]);
    else { Console.Error.WriteLine($"unknown argument {args[i]}"); return 2; }
}
if (targets.Count == 0) targets.AddRange(Enum.GetValues<FuzzTarget>());

string? conformance = FuzzSeeds.FindConformance();
if (conformance is null)
{
    Console.Error.WriteLine("cannot find shared/conformance (set NFTPS_CONFORMANCE)");
    return 2;
}
var seeds = FuzzSeeds.Load(conformance);
Console.WriteLine($"seeds from {conformance}: {seeds.Rules.Count} rules, {seeds.Scripts.Count} scripts, {seeds.JsonDocuments.Count} JSON documents; seed {seed}");
var runner = new FuzzRunner(seeds);
bool clean = true;
foreach (var target in targets)
{
    var report = runner.Run(target, count, seed, r => Console.WriteLine($"  … {r}"));
    Console.WriteLine(report);
    string slowest = report.SlowestInput.Length > 200 ? report.SlowestInput[..200] + $"… ({report.SlowestInput.Length} chars)" : report.SlowestInput;
    Console.WriteLine($"    slowest input: {slowest.ReplaceLineEndings("⏎")}");
    foreach (var (type, n) in report.CrashTypes) Console.WriteLine($"    {n,6} × {type}");
    foreach (var f in report.Findings)
    {
        string input = f.Input.Length > 300 ? f.Input[..300] + $"… ({f.Input.Length} chars)" : f.Input;
        Console.WriteLine($"  [{f.Kind}] {input.ReplaceLineEndings("⏎")}");
        Console.WriteLine("      " + string.Join("\n      ", f.Detail.Split('\n').Take(6)));
    }
    clean &= report.Clean;
}
return clean ? 0 : 1;

// `@path` reads the input from a file (deep or huge inputs do not fit a command line).
static string FromArgument(string a) => a.StartsWith('@') ? File.ReadAllText(a[1..]) : a;

// One input through one target: prints "accepted", the designed error, or the crash.
static int Try(string[] a)
{
    var target = Enum.Parse<FuzzTarget>(a[0], ignoreCase: true);
    string text;
    var family = NftFamily.Inet;
    if (target == FuzzTarget.Rule)
    {
        family = Enum.Parse<NftFamily>(a[1], ignoreCase: true);
        text = FromArgument(string.Join(' ', a[2..]));
    }
    else text = FromArgument(a[1]);
    var watch = System.Diagnostics.Stopwatch.StartNew();
    try
    {
        switch (target)
        {
            case FuzzTarget.Rule: FuzzTargets.RunRule(family, text); break;
            case FuzzTarget.Script: FuzzTargets.RunScript(text); break;
            default: FuzzTargets.RunJson(text); break;
        }
        Console.WriteLine($"accepted ({watch.ElapsedMilliseconds} ms)");
        return 0;
    }
    catch (Exception e) when (FuzzTargets.IsDesigned(e))
    {
        Console.WriteLine($"refused ({e.GetType().Name}, {watch.ElapsedMilliseconds} ms):\n{(e.Message.Length > 2000 ? e.Message[..2000] + "…" : e.Message)}");
        return 0;
    }
    catch (Exception e)
    {
        Console.WriteLine($"CRASH {e}");
        return 1;
    }
}
