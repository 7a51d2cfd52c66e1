using System.Text.RegularExpressions;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.Tests.Expressions;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Compiler;

/// <summary>Adds compiled nft-py rule vectors to a private namespace with ExecuteBatch (one batch per rule, anonymous
/// sets included) and checks that nft lists each exactly as it lists the same rule loaded by nft itself.</summary>
public class CompiledRuleKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly ITestOutputHelper _out;

    public CompiledRuleKernelTests(PrivateNetworkNamespace ns, ITestOutputHelper output)
    {
        _ns = ns;
        _out = output;
    }

    /// <summary>Share of compiled rules that the kernel accepts and nft lists like its own; raise as the compiler improves.</summary>
    private const double Floor = 0.989;

    /// <summary>`fail` vectors that neither the compiler nor the kernel refuses yet; lower it as checks are added.</summary>
    private const int MaxFailLinesAccepted = 1;

    private static readonly Regex SetLine = new(@"^!(\S+)\s+(type|typeof)\s+(.*?)(\s+timeout\s+(\S+))?(\s+flags\s+(.+))?;ok$");

    private static NftFamily Family(string f) => f switch
    {
        "ip" => NftFamily.Ip, "ip6" => NftFamily.Ip6, "inet" => NftFamily.Inet, "arp" => NftFamily.Arp,
        "bridge" => NftFamily.Bridge, "netdev" => NftFamily.Netdev, _ => NftFamily.Unspecified,
    };

    private ProcessResult Nft(params string[] args) =>
        ProcessRunner.Run("ip", new[] { "netns", "exec", _ns.Name, "nft" }.Concat(args)); // same time zone as the compiler

    /// <summary>The rule lines of a chain listing (hook line and braces dropped).</summary>
    private List<string> ChainRules(string family, string table, string chain)
    {
        var r = Nft("-s", "-p", "list", "chain", family, table, chain);
        if (r.ExitCode != 0) return new List<string> { "<list failed: " + r.StdErr.Trim() + ">" };
        return r.StdOut.Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("table ") && !l.StartsWith("chain ") && l != "}" && !l.StartsWith("type "))
            .ToList();
    }

    [KernelFact]
    public void Compiled_rules_list_like_rules_nft_loads()
    {
        _ns.Require();
        string conformance = Path.Combine(TestEnvironment.RequireShared(), "conformance");
        string root = Path.Combine(conformance, "nft-py");
        var rejected = ConformanceFile.ReadRejectedLines(conformance);
        int compiled = 0, accepted = 0, identical = 0, failTotal = 0, failRefused = 0;
        var failAccepted = new List<string>();
        var failures = new List<string>();
        using var conn = NfTablesConnection.Open(_ns.Name);
        foreach (string path in ConformanceFile.Files(root))
        {
            var file = ConformanceFile.Parse(path, root, rejected);
            if (file.Rules.Count == 0) continue;
            _ns.Flush();
            if (_ns.NftLoad(string.Join("\n", file.Preamble) + "\n").ExitCode != 0)
                foreach (var cmd in file.Preamble) _ns.NftLoad(cmd + "\n");
            var sets = new Dictionary<(string, string), SetDescriptor>();
            foreach (var line in File.ReadLines(path))
            {
                var m = SetLine.Match(line.TrimEnd());
                if (!m.Success) continue;
                string spec = m.Groups[3].Value;
                string? data = null;
                int colon = spec.IndexOf(" : ", StringComparison.Ordinal);
                if (colon >= 0) { data = spec[(colon + 3)..].Trim(); spec = spec[..colon].Trim(); }
                bool interval = m.Groups[7].Value.Contains("interval");
                foreach (var fam in new[] { "ip", "ip6", "inet", "arp", "bridge", "netdev" })
                {
                    try
                    {
                        sets[(fam, m.Groups[1].Value)] = m.Groups[2].Value == "typeof"
                            ? SetDeclarations.FromTypeof(m.Groups[1].Value, spec, data, Family(fam), interval)
                            : SetDeclarations.FromType(m.Groups[1].Value, spec, data, interval);
                    }
                    catch (Exception) { }
                }
            }
            // One (table, chain) per table: the first chain the file names for it.
            var byTable = file.Rules
                .Select(r => (Parts: r.Command.Split(' ', 6), r.Rule, r.Line))
                .GroupBy(r => (r.Parts[2], r.Parts[3]))
                .Select(g => (Family: g.Key.Item1, Table: g.Key.Item2, Chain: g.First().Parts[4], Rules: g.Where(x => x.Parts[4] == g.First().Parts[4]).ToList()));
            var failLines = File.ReadLines(path).Select((l, i) => (Text: l.TrimEnd(), Line: i + 1))
                .Where(x => x.Text.Length > 0 && "#:*!?%-".IndexOf(x.Text[0]) < 0 && x.Text.Split(';') is { Length: >= 2 } f && f[1] == "fail")
                .Select(x => (Rule: x.Text.Split(';')[0], x.Line)).ToList();
            foreach (var (family, table, chain, rules) in byTable)
            {
                foreach (var (rule, lineNo) in failLines)
                {
                    failTotal++;
                    var fctx = new CompileContext
                    {
                        Family = Family(family), Table = table, Chain = chain,
                        FindSet = n => sets.TryGetValue((family, n), out var d) ? d : null,
                    };
                    CompiledRule fc;
                    try { fc = RuleCompiler.Compile(rule, fctx); }
                    catch (Exception) { failRefused++; continue; }
                    var fbatch = new NftBatch();
                    fbatch.QueueRule(fc, Family(family), table, chain);
                    if (!conn.ExecuteBatch(fbatch, new BatchOptions()).Succeeded) { failRefused++; continue; }
                    failAccepted.Add($"{file.RelativePath}:{lineNo} [{family}] {rule}");
                    Nft("flush", "chain", family, table, chain);
                }
                var ours = new List<(string Rule, int Line)>();
                foreach (var (_, rule, lineNo) in rules)
                {
                    var ctx = new CompileContext
                    {
                        Family = Family(family), Table = table, Chain = chain,
                        FindSet = n => sets.TryGetValue((family, n), out var d) ? d : null,
                    };
                    CompiledRule c;
                    try { c = RuleCompiler.Compile(rule, ctx); }
                    catch (Exception) { continue; }
                    compiled++;
                    var batch = new NftBatch();
                    batch.QueueRule(c, Family(family), table, chain);
                    var result = conn.ExecuteBatch(batch, new BatchOptions());
                    if (!result.Succeeded)
                    {
                        failures.Add($"{file.RelativePath}:{lineNo} [{family}] {rule}\n    kernel: {string.Join("; ", result.Errors.Select(e => e.Describe()))}");
                        continue;
                    }
                    accepted++;
                    ours.Add((rule, lineNo));
                }
                if (ours.Count == 0) continue;
                var ourListing = ChainRules(family, table, chain);
                Nft("flush", "chain", family, table, chain);
                string commands = string.Join("\n", ours.Select(o => $"add rule {family} {table} {chain} {o.Rule}")) + "\n";
                if (_ns.NftLoad(commands).ExitCode != 0)
                    foreach (var o in ours) _ns.NftLoad($"add rule {family} {table} {chain} {o.Rule}\n");
                var nftListing = ChainRules(family, table, chain);
                Nft("flush", "chain", family, table, chain);
                if (ourListing.Count != ours.Count || nftListing.Count != ours.Count)
                {
                    failures.Add($"{file.RelativePath} [{family}] {ours.Count} rules added, we list {ourListing.Count}, nft lists {nftListing.Count}");
                    continue;
                }
                for (int i = 0; i < ours.Count; i++)
                {
                    if (ourListing[i] == nftListing[i]) identical++;
                    else failures.Add($"{file.RelativePath}:{ours[i].Line} [{family}] {ours[i].Rule}\n    nft:  {nftListing[i]}\n    ours: {ourListing[i]}");
                }
            }
        }
        _ns.Flush();
        string report = $"compiled {compiled}, kernel accepted {accepted}, listed like nft's own {identical} ({100.0 * identical / Math.Max(compiled, 1):F1}% of compiled); " +
                        $"fail lines refused by compiler or kernel {failRefused}/{failTotal}";
        _out.WriteLine(report);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "compiled-rules-kernel.txt"), report + "\nACCEPTED FAIL LINES\n" + string.Join("\n", failAccepted) + "\n\nFAILURES\n" + string.Join("\n", failures));
        foreach (var f in failures.Take(40)) _out.WriteLine(f);
        Assert.True(compiled > 0);
        Assert.True((double)identical / compiled >= Floor, report);
        Assert.True(failTotal - failRefused <= MaxFailLinesAccepted, report + "\n" + string.Join("\n", failAccepted));
    }
}
