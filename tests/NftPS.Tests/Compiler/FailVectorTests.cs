using System.Text;
using System.Text.RegularExpressions;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Script;
using NftPS.Language.Syntax;
using NftPS.Language;
using NftPS.NfTables;
using NftPS.NfTables.Reading;
using NftPS.Tests.Conformance;
using NftPS.Tests.Conformance.Vectors;
using NftPS.Tests.Infrastructure;
using NftPS.Tests.Model;
using Xunit.Abstractions;

namespace NftPS.Tests.Compiler;

/// <summary>Every `;fail` vector (rule lines in each (table, chain) declared before them, and `;fail` set, element
/// and object directives in each table) goes through our compiler and, when the compiler takes it, through our own
/// batch to the kernel in a private namespace holding the file's tables, sets and objects. Each must be refused —
/// by the compiler with a caret, or by the kernel with an error naming the operation — and the ruleset must list
/// exactly as before. Where nft 1.0.6 refuses the same text in userspace, our caret must overlap nft's.</summary>
public partial class FailVectorTests(ITestOutputHelper output)
{
    /// <summary>Every fail unit is refused, by the compiler or the kernel (597/597 measured).</summary>
    private const double RefusedFloor = 1.0;
    /// <summary>Measured: of the units both nft and our compiler refuse in userspace, the share where our caret overlaps nft's.</summary>
    private const double SamePlaceFloor = 0.907;

    private sealed record FailUnit(VectorFile File, int Line, string Family, string Table, string? Chain, string Text, string Command)
    {
        public bool IsRule => Chain is not null;
        public override string ToString() => $"{File.Name}:{Line} [{Family} {Table}{(Chain is null ? "" : " " + Chain)}] {Command}";
    }

    /// <summary>Where nft put its caret (1-based columns in the command line) and what it said.</summary>
    private sealed record NftError(int First, int Last, string Message);

    [GeneratedRegex(@"^/dev/stdin:(\d+):(\d+)-(\d+): Error: (.*)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLocation();

    [KernelFact]
    public void Fail_vectors_are_refused_and_leave_nothing_behind()
    {
        TestEnvironment.RequireShared();
        int total = 0, byCompiler = 0, byKernel = 0, kernelLocated = 0, bothUserspace = 0, samePlace = 0;
        var accepted = new List<string>();
        var leftBehind = new List<string>();
        var elsewhere = new List<string>();
        var kernelNotNamed = new List<string>();
        var byKernelList = new List<string>();
        using var ns = new ScratchNamespace("failvec");
        using var conn = NfTablesConnection.Open(ns.Name);
        foreach (var file in ConformanceCorpus.LoadVectorFiles())
        {
            var units = FailUnits(file);
            if (units.Count == 0) continue;
            var preamble = CompilerNft106Tests.Preamble(file);
            Reset(ns, preamble);
            string before = ListingComparison.Full(ns.Nft("list", "ruleset").StdOut);
            var nftErrors = NftUserspaceErrors(ns, units);
            var ruleset = new RulesetReader(conn).ReadDescribed();
            foreach (var u in units)
            {
                total++;
                var family = CompilerNft106Tests.ParseFamily(u.Family);
                if (!u.IsRule)
                {
                    // A directive meets only what the file declared above it (`?set2 …;fail` before `!set2`).
                    Reset(ns, CompilerNft106Tests.Preamble(file, u.Line));
                    ruleset = new RulesetReader(conn).ReadDescribed();
                }
                var batch = new NftBatch();
                try
                {
                    if (u.IsRule)
                    {
                        var ctx = new CompileContext
                        {
                            Family = family, Table = u.Table, Chain = u.Chain,
                            FindSet = n => ruleset.FindSet(family, u.Table, n) is { } s ? SetDeclarations.FromKernel(s) : null,
                        };
                        batch.QueueRule(RuleCompiler.Compile(u.Text, ctx), family, u.Table, u.Chain!);
                    }
                    else
                    {
                        NftScript.Parse(u.Command).QueueOn(batch, new ScriptContext
                        {
                            FindExistingSet = (f, t, n) => ruleset.FindSet(f, t, n) is { } s ? SetDeclarations.FromKernel(s) : null,
                        });
                    }
                }
                catch (NftLanguageException e)
                {
                    byCompiler++;
                    if (nftErrors.TryGetValue(u, out var theirs))
                    {
                        bothUserspace++;
                        // Our span is in the rule text (rules) or in the command (directives); nft's is in the command.
                        int shift = u.IsRule ? u.Command.Length - u.Text.Length : 0;
                        int first = e.Span.Offset + 1 + shift, last = first + Math.Max(e.Span.Length, 1) - 1;
                        if (first <= theirs.Last && theirs.First <= last) samePlace++;
                        else elsewhere.Add($"{u}\n    nft:  {theirs.First}-{theirs.Last} {theirs.Message}\n    ours: {first}-{last} {e.Reason}");
                    }
                    continue;
                }
                var result = batch.Count == 0 ? new BatchResult(Array.Empty<BatchError>(), Array.Empty<byte[]>()) : conn.ExecuteBatch(batch, new BatchOptions());
                if (!u.IsRule)
                {
                    string changed = ListingComparison.Full(ns.Nft("list", "ruleset").StdOut);
                    Reset(ns, preamble);
                    ruleset = new RulesetReader(conn).ReadDescribed();
                    if (!result.Succeeded && changed != ListingComparison.Full(ListingBefore(ns, file, u.Line)))
                        leftBehind.Add($"{u}: the refused directive changed the ruleset");
                }
                if (!result.Succeeded)
                {
                    byKernel++;
                    if (result.Errors.Any(x => x.Operation?.Locate(x.Offset) is not null)) kernelLocated++;
                    string said = string.Join("; ", result.Errors.Select(x => x.Describe()));
                    byKernelList.Add($"{u}\n    {said}");
                    if (result.Errors.Any(x => x.Operation is null)) kernelNotNamed.Add($"{u}: {said}");
                    continue;
                }
                accepted.Add(u.ToString());
                if (u.IsRule)
                {
                    Reset(ns, preamble);
                    ruleset = new RulesetReader(conn).ReadDescribed();
                }
            }
            string after = ListingComparison.Full(ns.Nft("list", "ruleset").StdOut);
            if (after != before) leftBehind.Add($"{file.Name}: {ListingComparison.FirstDifference(before, after)}");
        }
        ns.Flush();

        int refused = byCompiler + byKernel;
        var report = new StringBuilder();
        report.AppendLine("# `;fail` vectors through NftPS");
        report.AppendLine();
        report.AppendLine("| units | refused | by the compiler | by the kernel (with a caret) | accepted | nft and we refuse in userspace | same place as nft |");
        report.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        report.AppendLine($"| {total} | {refused} ({100.0 * refused / Math.Max(total, 1):F1}%) | {byCompiler} | {byKernel} ({kernelLocated}) | {accepted.Count} | {bothUserspace} | {samePlace} ({100.0 * samePlace / Math.Max(bothUserspace, 1):F1}%) |");
        output.WriteLine(report.ToString());
        report.AppendLine().AppendLine("## Accepted (should be refused)").AppendLine();
        foreach (var a in accepted) report.AppendLine("    " + a);
        report.AppendLine().AppendLine("## Ruleset changed after the file's fail vectors").AppendLine();
        foreach (var a in leftBehind) report.AppendLine("    " + a);
        report.AppendLine().AppendLine("## Caret elsewhere than nft's").AppendLine();
        foreach (var a in elsewhere) report.AppendLine("    " + a);
        report.AppendLine().AppendLine("## Refused by the kernel").AppendLine();
        foreach (var a in byKernelList) report.AppendLine("    " + a);
        string path = ConformanceCorpus.ReportPath("compiler-fail-vectors.md");
        File.WriteAllText(path, report.ToString());
        output.WriteLine($"details: {path}");
        foreach (var a in accepted.Take(30)) output.WriteLine("accepted: " + a);
        foreach (var a in elsewhere.Take(20)) output.WriteLine(a);

        Assert.True(total > 500, $"only {total} fail units");
        Assert.Empty(leftBehind);
        Assert.Empty(kernelNotNamed);
        Assert.True((double)refused / total >= RefusedFloor, $"refused {refused}/{total}, floor {RefusedFloor:P1}");
        Assert.True((double)samePlace / Math.Max(bothUserspace, 1) >= SamePlaceFloor, $"same place {samePlace}/{bothUserspace}, floor {SamePlaceFloor:P1}");
    }

    /// <summary>The listing of the file's state above <paramref name="line"/> (loaded and then put back).</summary>
    private static string ListingBefore(ScratchNamespace ns, VectorFile file, int line)
    {
        Reset(ns, CompilerNft106Tests.Preamble(file, line));
        string listing = ns.Nft("list", "ruleset").StdOut;
        Reset(ns, CompilerNft106Tests.Preamble(file));
        return listing;
    }

    private static void Reset(ScratchNamespace ns, List<string> preamble)
    {
        ns.Flush();
        if (NftRunner.Load(ns.Name, string.Join("\n", preamble) + "\n").ExitCode != 0)
            foreach (var cmd in preamble) NftRunner.Load(ns.Name, cmd + "\n");
    }

    private static List<FailUnit> FailUnits(VectorFile file)
    {
        var units = new List<FailUnit>();
        foreach (var line in file.Lines)
        {
            var tables = file.TablesBefore(line.Line);
            switch (line)
            {
                case RuleVector { Disabled: false, Expect: Expectation.Fail } r:
                    foreach (var t in tables)
                        foreach (var c in t.Chains)
                            units.Add(new FailUnit(file, r.Line, t.Family, t.Name, c.Name, r.Rule, $"add rule {t.Family} {t.Name} {c.Name} {r.Rule}"));
                    break;
                case SetDirective { Expect: Expectation.Fail } s:
                    foreach (var t in tables) units.Add(new FailUnit(file, s.Line, t.Family, t.Name, null, s.ToCommand(t.Family, t.Name), s.ToCommand(t.Family, t.Name)));
                    break;
                case ElementDirective { Expect: Expectation.Fail } el:
                    foreach (var t in tables) units.Add(new FailUnit(file, el.Line, t.Family, t.Name, null, el.ToCommand(t.Family, t.Name), el.ToCommand(t.Family, t.Name)));
                    break;
                case ObjectDirective { Expect: Expectation.Fail } o:
                    foreach (var t in tables) units.Add(new FailUnit(file, o.Line, t.Family, t.Name, null, o.ToCommand(t.Family, t.Name), o.ToCommand(t.Family, t.Name)));
                    break;
            }
        }
        return units;
    }

    /// <summary>nft 1.0.6's userspace errors for the units, from `nft -c -f` (nothing is changed). nft reports at
    /// most ten errors a run, so reported lines are dropped and the rest checked again.</summary>
    private static Dictionary<FailUnit, NftError> NftUserspaceErrors(ScratchNamespace ns, List<FailUnit> units)
    {
        var found = new Dictionary<FailUnit, NftError>();
        var active = units.ToList();
        for (int round = 0; round < 100 && active.Count > 0; round++)
        {
            var r = NftRunner.Nft(ns.Name, new[] { "-c", "-f", "-" }, string.Join("\n", active.Select(u => u.Command)) + "\n");
            var hit = new HashSet<int>();
            foreach (Match m in ErrorLocation().Matches(r.StdErr))
            {
                int index = int.Parse(m.Groups[1].Value) - 1;
                if (index < 0 || index >= active.Count || !hit.Add(index)) continue;
                string message = m.Groups[4].Value.Trim();
                if (!message.StartsWith("Could not process rule", StringComparison.Ordinal))
                    found[active[index]] = new NftError(int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), message);
            }
            if (hit.Count == 0) break;
            active = active.Where((_, i) => !hit.Contains(i)).ToList();
        }
        return found;
    }
}
