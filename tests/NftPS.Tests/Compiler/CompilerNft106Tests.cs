using System.Text;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.Language;
using NftPS.NfTables;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;
using NftPS.Tests.Conformance;
using NftPS.Tests.Conformance.Vectors;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Compiler;

/// <summary>The compiler judged against nft 1.0.6 itself: every `;ok` unit that nft accepted in the shared replay
/// (<see cref="ConformanceReplay"/>) is compiled by NftPS in the same (family, table, chain), its expressions and
/// anonymous set elements are compared (byte-normalised) with what `nft --debug=netlink` printed for it, and the rule
/// is added through our own batch to a namespace holding the file's tables, sets and objects, where nft's `-s -p`
/// listing of it must equal nft's listing of its own rule.</summary>
public class CompilerNft106Tests(ITestOutputHelper output)
{
    /// <summary>Per family: (expressions equal to nft 1.0.6, listing equal) as shares of the units nft accepted.
    /// Every family is at 100% since the third session: any difference from nft 1.0.6 fails the test.</summary>
    private static readonly Dictionary<string, (double Expressions, double Listing)> Floors = new()
    {
        ["arp"] = (1.0, 1.0),
        ["bridge"] = (1.0, 1.0),
        ["inet"] = (1.0, 1.0),
        ["ip"] = (1.0, 1.0),
        ["ip6"] = (1.0, 1.0),
        ["netdev"] = (1.0, 1.0),
    };

    /// <summary>nft's replay runs with TZ=UTC-2 (POSIX: two hours east of UTC); `meta hour` is compiled in that zone too.</summary>
    public static readonly TimeZoneInfo UpstreamZone =
        TimeZoneInfo.CreateCustomTimeZone(NftRunner.UpstreamTimeZone, TimeSpan.FromHours(2), NftRunner.UpstreamTimeZone, NftRunner.UpstreamTimeZone);

    private sealed class FamilyCounts
    {
        public int Units, Compiled, ExpressionsEqual, ElementsEqual, KernelAccepted, ListingEqual;
    }

    [KernelFact]
    public void Compiled_rules_match_nft_106_expressions_and_listing()
    {
        TestEnvironment.RequireShared();
        var run = ConformanceReplay.Run;
        var counts = new SortedDictionary<string, FamilyCounts>(StringComparer.Ordinal);
        var exprMismatches = new List<string>();
        var listingMismatches = new List<string>();
        var refused = new List<string>();
        using var ns = new ScratchNamespace("compiler106");
        using var conn = NfTablesConnection.Open(ns.Name);
        foreach (var file in run.Files)
        {
            var units = file.Units.Where(u => u.Accepted && u.Handle is not null && u.NetlinkDebug is not null).ToList();
            if (units.Count == 0) continue;
            ns.Flush();
            var preamble = Preamble(file.File);
            if (NftRunner.Load(ns.Name, string.Join("\n", preamble) + "\n").ExitCode != 0)
                foreach (var cmd in preamble) NftRunner.Load(ns.Name, cmd + "\n");
            var ruleset = new RulesetReader(conn).ReadDescribed();
            var added = new Dictionary<(string, string, string), List<ReplayUnit>>();
            foreach (var u in units)
            {
                var c = counts.TryGetValue(u.Family, out var fc) ? fc : counts[u.Family] = new FamilyCounts();
                c.Units++;
                var family = ParseFamily(u.Family);
                var ctx = new CompileContext
                {
                    Family = family, Table = u.Table, Chain = u.Chain, TimeZone = UpstreamZone,
                    FindSet = n => ruleset.FindSet(family, u.Table, n) is { } s ? SetDeclarations.FromKernel(s) : null,
                };
                CompiledRule compiled;
                try { compiled = RuleCompiler.Compile(u.Vector.Rule, ctx); }
                catch (Exception e)
                {
                    exprMismatches.Add($"{u}: `{u.Vector.Rule}`\n    refused: {(e is NftLanguageException l ? l.Reason : e.GetType().Name + ": " + e.Message)}");
                    continue;
                }
                c.Compiled++;
                var want = u.NetlinkDebug!;
                var ours = compiled.Expressions.Select(e => e.ToDebugString()).ToList();
                bool exprEqual = PayloadNormalizer.ExpressionsEquivalent(want.Expressions.Select(PayloadNormalizer.NameCtKeyId).ToList(), ours);
                bool elemEqual = PayloadNormalizer.ElementsEquivalent(want.Elements, compiled.AnonymousSets.SelectMany(s => s.Elements).Select(ElementText));
                if (elemEqual) c.ElementsEqual++;
                if (exprEqual && elemEqual) c.ExpressionsEqual++;
                else exprMismatches.Add($"{u}: `{u.Vector.Rule}`\n    nft:  {string.Join(" ", want.Expressions)}{Elements(want.Elements)}\n"
                                        + $"    ours: {string.Join(" ", ours)}{Elements(compiled.AnonymousSets.SelectMany(s => s.Elements).Select(ElementText))}");
                var batch = new NftBatch();
                batch.QueueRule(compiled, family, u.Table, u.Chain);
                var result = conn.ExecuteBatch(batch, new BatchOptions());
                if (!result.Succeeded)
                {
                    refused.Add($"{u}: `{u.Vector.Rule}`: {string.Join("; ", result.Errors.Select(e => e.Describe()))}");
                    continue;
                }
                c.KernelAccepted++;
                var key = (u.Family, u.Table, u.Chain);
                if (!added.TryGetValue(key, out var list)) added[key] = list = new List<ReplayUnit>();
                list.Add(u);
            }
            var listed = NftRunner.Nft(ns.Name, ListingStyle.Upstream.NftOptions().Prepend("-a").Concat(new[] { "list", "ruleset" }),
                timeZone: NftRunner.UpstreamTimeZone);
            var rules = NftListing.Parse(listed.StdOut).Rules.GroupBy(r => (r.Family, r.Table, r.Chain)).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (key, list) in added)
            {
                var ours = rules.GetValueOrDefault(key) ?? new List<ListedRule>();
                for (int i = 0; i < list.Count; i++)
                {
                    var u = list[i];
                    string theirs = u.Listings[ListingStyle.Upstream];
                    string mine = i < ours.Count && ours.Count == list.Count ? ours[i].Text : $"<{ours.Count} rules listed for {list.Count} added>";
                    if (mine == theirs) counts[u.Family].ListingEqual++;
                    else listingMismatches.Add($"{u}: `{u.Vector.Rule}`\n    nft:  {theirs}\n    ours: {mine}");
                }
            }
        }
        ns.Flush();

        var report = new StringBuilder();
        report.AppendLine("# Compiler against nft 1.0.6");
        report.AppendLine();
        report.AppendLine("Units: `;ok` rule lines × (table, chain) that nft 1.0.6 accepted in the replay. *Expressions*: our kernel "
                          + "expressions and anonymous set elements equal nft's `--debug=netlink` output (byte-normalised). *Listing*: "
                          + "nft's `-s -p` listing of our rule equals its listing of its own.");
        report.AppendLine();
        report.AppendLine("| family | units | compiled | expressions equal | kernel accepted | listing equal |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        var total = new FamilyCounts();
        foreach (var (f, c) in counts.Append(new KeyValuePair<string, FamilyCounts>("total", total)).ToList())
        {
            if (f != "total")
            {
                total.Units += c.Units; total.Compiled += c.Compiled; total.ExpressionsEqual += c.ExpressionsEqual;
                total.KernelAccepted += c.KernelAccepted; total.ListingEqual += c.ListingEqual;
            }
            report.AppendLine($"| {f} | {c.Units} | {c.Compiled} | {c.ExpressionsEqual} ({Pct(c.ExpressionsEqual, c.Units)}) | {c.KernelAccepted} | {c.ListingEqual} ({Pct(c.ListingEqual, c.Units)}) |");
        }
        output.WriteLine(report.ToString());
        report.AppendLine().AppendLine("## Kernel refused our rule").AppendLine();
        foreach (var r in refused) report.AppendLine("    " + r);
        report.AppendLine().AppendLine("## Listing differs").AppendLine();
        foreach (var m in listingMismatches) report.AppendLine("    " + m);
        report.AppendLine().AppendLine("## Expressions differ").AppendLine();
        foreach (var m in exprMismatches) report.AppendLine("    " + m);
        string path = ConformanceCorpus.ReportPath("compiler-nft106.md");
        File.WriteAllText(path, report.ToString());
        output.WriteLine($"details: {path}");
        foreach (var m in refused.Take(10).Concat(listingMismatches.Take(10)).Concat(exprMismatches.Take(20))) output.WriteLine(m);

        Assert.True(total.Units > 5000, $"only {total.Units} units");
        var below = new List<string>();
        foreach (var (f, (fe, fl)) in Floors)
        {
            var c = counts.GetValueOrDefault(f) ?? new FamilyCounts();
            double e = (double)c.ExpressionsEqual / Math.Max(c.Units, 1), l = (double)c.ListingEqual / Math.Max(c.Units, 1);
            if (e < fe) below.Add($"{f}: expressions {e:P1} < floor {fe:P1}");
            if (l < fl) below.Add($"{f}: listing {l:P1} < floor {fl:P1}");
        }
        Assert.True(below.Count == 0, string.Join("\n", below));
    }

    private static string Pct(int n, int d) => $"{100.0 * n / Math.Max(d, 1):F1}%";

    private static string Elements(IEnumerable<string> elements)
    {
        var l = elements.ToList();
        return l.Count == 0 ? "" : " {" + string.Join(", ", l) + "}";
    }

    /// <summary>An element in the new `.payload` format (`element 0021 : 0a000001 flags 1`), each 4-byte word of the
    /// bytes in memory order, which is what <see cref="PayloadNormalizer"/> compares with libnftnl 1.2.4's words.</summary>
    internal static string ElementText(ElementSpec e)
    {
        var sb = new StringBuilder("element");
        Words(sb, e.Key);
        if (e.KeyEnd is not null) { sb.Append(" -"); Words(sb, e.KeyEnd); }
        if (e.Data is not null) { sb.Append(" :"); Words(sb, e.Data); }
        else if (e.Verdict is { } v) sb.Append(" : ").Append(v.ToString());
        if (e.Flags != 0) sb.Append(" flags ").Append(e.Flags);
        if (NftPS.NfTables.Model.UserData.ForElement(e.Comment, e.IntervalOpen) is { } ud)
            sb.Append("  userdata ").Append(PayloadNormalizer.UserDataSummary(ud));
        return sb.ToString();
    }

    private static void Words(StringBuilder sb, byte[]? bytes)
    {
        if (bytes is null) return;
        for (int i = 0; i < bytes.Length; i += 4)
            sb.Append(' ').Append(Convert.ToHexString(bytes, i, Math.Min(4, bytes.Length - i)).ToLowerInvariant());
    }

    /// <summary>The file's tables, chains and `;ok` sets, elements and objects, as nft commands (as the replay loads them).</summary>
    /// <param name="beforeLine">Only directives above this line (the state a later directive meets); tables always.</param>
    public static List<string> Preamble(VectorFile file, int beforeLine = int.MaxValue)
    {
        var commands = new List<string>();
        var tables = new List<TableDeclaration>();
        foreach (var line in file.Lines)
        {
            if (line is not TableDeclaration && line.Line >= beforeLine) continue;
            switch (line)
            {
                case TableDeclaration t:
                    tables.Add(t);
                    commands.Add($"add table {t.Family} {t.Name}");
                    foreach (var c in t.Chains) commands.Add($"add chain {t.Family} {t.Name} {c.Name} {{ {c.Spec}; }}");
                    break;
                case SetDirective { Expect: Expectation.Ok } s:
                    foreach (var t in tables) commands.Add(s.ToCommand(t.Family, t.Name));
                    break;
                case ElementDirective { Expect: Expectation.Ok } el:
                    foreach (var t in tables) commands.Add(el.ToCommand(t.Family, t.Name));
                    break;
                case ObjectDirective { Expect: Expectation.Ok } o:
                    foreach (var t in tables) commands.Add(o.ToCommand(t.Family, t.Name));
                    break;
            }
        }
        return commands;
    }

    public static NftFamily ParseFamily(string f) => f switch
    {
        "ip" => NftFamily.Ip, "ip6" => NftFamily.Ip6, "inet" => NftFamily.Inet, "arp" => NftFamily.Arp,
        "bridge" => NftFamily.Bridge, "netdev" => NftFamily.Netdev, _ => NftFamily.Unspecified,
    };
}
