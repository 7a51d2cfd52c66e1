using System.Text.RegularExpressions;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Expressions;

/// <summary>Checks ToDebugString against the conformance .payload files: each rule is loaded with nft, dumped with our
/// connection, decoded, printed, and compared with the recorded expression lines. Constants are compared as bytes,
/// in wire order or reversed (a decoded expression does not know whether a constant is a host-order integer; see
/// <see cref="DataDisplayOrder"/>). Known kernel-vs-sender differences are normalised in <see cref="Normalise"/>.</summary>
public class PayloadConformanceTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly ITestOutputHelper _out;

    public PayloadConformanceTests(PrivateNetworkNamespace ns, ITestOutputHelper output)
    {
        _ns = ns;
        _out = output;
    }

    /// <summary>Blocks of a .payload file by (family, rule text) → expression lines.</summary>
    internal static Dictionary<(string Family, string Rule), List<string>> ReadPayloadFile(string path)
    {
        var map = new Dictionary<(string, string), List<string>>();
        string? rule = null;
        string? family = null;
        List<string>? lines = null;
        foreach (string raw in File.ReadLines(path).Append(""))
        {
            if (raw.StartsWith("# ")) { rule = raw[2..]; family = null; lines = null; continue; }
            if (raw.Length == 0)
            {
                if (rule is not null && family is not null && lines is not null) map.TryAdd((family, rule), lines);
                rule = null; family = null; lines = null;
                continue;
            }
            if (rule is null) continue;
            if (raw.StartsWith("  [")) { lines?.Add(raw.Trim()); continue; }
            if (!raw.StartsWith(" ") && !raw.StartsWith("\t") && !raw.StartsWith("__") && family is null)
            {
                var parts = raw.Split(' ');
                if (parts.Length == 3) { family = parts[0]; lines = new List<string>(); }
            }
        }
        return map;
    }

    private static readonly Regex SetNumber = new(@"(__(?:set|map|objmap))\d+");
    private static readonly Regex HexRun = new(@"0x[0-9a-f]+(?: 0x[0-9a-f]+)*");

    /// <summary>Differences that come from reading the kernel's dump instead of what nft sent.</summary>
    internal static string Normalise(string line)
    {
        line = SetNumber.Replace(line, "$1%d");
        // The kernel always dumps the log level (4 when none was sent) and flags 0; nft sends neither by default.
        line = line.Replace("[ log level 4 ", "[ log ");
        return line;
    }

    internal static bool LinesMatch(string expected, string actual)
    {
        expected = Normalise(expected);
        actual = Normalise(actual);
        if (expected == actual) return true;
        if (HexRun.Replace(expected, "#") != HexRun.Replace(actual, "#")) return false;
        var e = HexRun.Matches(expected);
        var a = HexRun.Matches(actual);
        if (e.Count != a.Count) return false;
        for (int i = 0; i < e.Count; i++)
        {
            byte[] eb = HexBytes(e[i].Value), ab = HexBytes(a[i].Value);
            if (eb.AsSpan().SequenceEqual(ab)) continue;
            Array.Reverse(ab);
            if (!eb.AsSpan().SequenceEqual(ab)) return false;
        }
        return true;
    }

    private static byte[] HexBytes(string run)
    {
        var bytes = new List<byte>();
        foreach (var tok in run.Split(' '))
        {
            string h = tok[2..];
            if (h.Length % 2 == 1) h = "0" + h;
            bytes.AddRange(Convert.FromHexString(h));
        }
        return bytes.ToArray();
    }


    [KernelFact]
    public void DebugStringsMatchThePayloadFiles()
    {
        _ns.Require();
        string conformance = Path.Combine(TestEnvironment.RequireShared(), "conformance");
        string nftPy = Path.Combine(conformance, "nft-py");
        var rejected = ConformanceFile.ReadRejectedLines(conformance);
        using var conn = NfTablesConnection.Open(_ns.Name);

        int compared = 0, matched = 0;
        var mismatches = new List<string>();
        foreach (string path in ConformanceFile.Files(nftPy))
        {
            var file = ConformanceFile.Parse(path, nftPy, rejected);
            var generic = File.Exists(path + ".payload") ? ReadPayloadFile(path + ".payload") : new();
            _ns.Nft("flush", "ruleset");
            foreach (var cmd in file.Preamble) _ns.NftLoad(cmd + "\n");

            // One chain per table is enough: the expressions do not depend on the chain.
            var byTable = file.Rules.GroupBy(r => string.Join(' ', r.Command.Split(' ', 6).Skip(2).Take(2)));
            var wanted = new List<(string Family, string Table, string Chain, string Rule, string Command)>();
            foreach (var g in byTable)
            {
                string chain = g.First().Command.Split(' ', 6)[4];
                foreach (var r in g.Where(r => r.Command.Split(' ', 6)[4] == chain))
                {
                    var p = r.Command.Split(' ', 6);
                    wanted.Add((p[2], p[3], p[4], r.Rule, r.Command));
                }
            }
            var loaded = _ns.NftLoadKeepingGood(wanted.Select(w => w.Command).ToList()).ToHashSet();
            var dumped = ExpressionKernelRoundTripTests.DumpRules(conn);
            foreach (var grp in wanted.Where(w => loaded.Contains(w.Command)).GroupBy(w => (w.Table, w.Chain)))
            {
                var rules = dumped.Where(d => d.Table == grp.Key.Table && d.Chain == grp.Key.Chain).ToList();
                var list = grp.ToList();
                if (rules.Count != list.Count) { mismatches.Add($"{file.RelativePath}: {rules.Count} dumped vs {list.Count} loaded"); continue; }
                for (int i = 0; i < list.Count; i++)
                {
                    string fam = list[i].Family;
                    var specific = File.Exists($"{path}.payload.{fam}") ? ReadPayloadFile($"{path}.payload.{fam}") : null;
                    List<string>? expected = null;
                    if (specific?.TryGetValue((fam, list[i].Rule), out var s) == true) expected = s;
                    else if (generic.TryGetValue((fam, list[i].Rule), out var gl)) expected = gl;
                    if (expected is null) continue;
                    var actual = ExpressionCodec.DecodeList(rules[i].Expressions).Select(e => e.ToDebugString()).ToList();
                    compared++;
                    bool same = expected.Count == actual.Count && expected.Zip(actual).All(p => LinesMatch(p.First, p.Second));
                    if (same) { matched++; continue; }
                    mismatches.Add($"{file.RelativePath} [{fam}] {list[i].Rule}\n  expected: {string.Join(" ", expected)}\n  actual:   {string.Join(" ", actual)}");
                }
            }
        }
        _ns.Nft("flush", "ruleset");
        _out.WriteLine($"compared {compared}, matched {matched}");
        foreach (var m in mismatches.Take(400)) _out.WriteLine(m);
        Assert.True(compared > 1000, $"only {compared} rules compared");
        // The remaining differences come from nft 1.0.6 linearizing differently from the nftables that recorded the
        // files (cmp gte+lte instead of range, nat addr_max/proto_max, register allocation in concatenations,
        // meta l4proto shortcuts, time zone of meta hour/time), not from printing. Every kind's printing is pinned
        // byte-exact in ExpressionDebugStringTests; this guards against regressions across the corpus.
        double ratio = (double)matched / compared;
        Assert.True(ratio >= 0.85, $"only {matched} of {compared} rules print as recorded:\n" + string.Join("\n", mismatches.Take(40)));
    }
}
