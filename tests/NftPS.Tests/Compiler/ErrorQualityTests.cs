using System.Text;
using System.Text.RegularExpressions;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.Language;
using NftPS.NfTables;
using NftPS.NfTables.Reading;
using NftPS.Tests.Conformance;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Compiler;

/// <summary>Common mistakes, each refused by nft 1.0.6 (run in a private namespace with `nft -c`, so nothing
/// changes) and by NftPS (compiler, or the kernel in check-only mode). NftPS must say where (a caret that overlaps
/// nft's and is no wider) and why (a reason naming what `Mention` says). The table goes to TestResults/error-quality.md.</summary>
public partial class ErrorQualityTests(ITestOutputHelper output)
{
    /// <summary>One mistake: where it is tried, the rule, the part of it that is wrong (where a caret belongs), and
    /// words our reason must contain.</summary>
    public sealed record Mistake(string What, string Family, string Table, string Chain, string Rule, string Where, params string[] Mention);

    private const string Ruleset = """
        table ip f {
            set s4 { type ipv4_addr; }
            set ports { type inet_service; }
            map vm { type ipv4_addr : verdict; }
            chain in { type filter hook input priority 0; }
            chain pre { type nat hook prerouting priority 0; }
            chain other { }
        }
        table ip6 f6 {
            chain in { type filter hook input priority 0; }
        }
        table inet fi {
            chain in { type filter hook input priority 0; }
        }
        table arp fa {
            chain in { type filter hook input priority 0; }
        }
        table bridge fb {
            chain in { type filter hook input priority 0; }
        }
        """;

    public static readonly Mistake[] Mistakes =
    {
        new("keyword typo (field)", "ip", "f", "in", "tcp dprot 22 accept", "dprot", "dprot"),
        new("keyword typo (protocol)", "ip", "f", "in", "tpc dport 22 accept", "tpc", "tpc"),
        new("keyword typo (verdict)", "ip", "f", "in", "tcp dport 22 acept", "acept", "acept"),
        new("keyword typo (statement)", "ip", "f", "in", "tcp dport 22 countr accept", "countr", "countr"),
        new("port out of range", "ip", "f", "in", "tcp dport 70000 accept", "70000", "range"),
        new("port range upside down", "ip", "f", "in", "tcp dport 100-50 accept", "100-50", "negative"),
        new("unknown service name", "ip", "f", "in", "tcp dport htps accept", "htps", "service"),
        new("bad IPv4 address", "ip", "f", "in", "ip saddr 1.2.3.256 drop", "1.2.3.256", "resolve"),
        new("IPv6 address for an IPv4 field", "ip", "f", "in", "ip saddr ::1 drop", "::1", "mismatch"), // nft: "Could not resolve hostname"; issue 11 wants the mismatch said
        new("IPv4 address for an IPv6 field", "ip6", "f6", "in", "ip6 daddr 10.0.0.1 drop", "10.0.0.1", "mismatch"),
        new("prefix longer than the address", "ip", "f", "in", "ip saddr 10.0.0.0/33 drop", "10.0.0.0/33", "Prefix"),
        new("TTL out of range", "ip", "f", "in", "ip ttl 256 drop", "256", "256"),
        new("mark wider than 32 bits", "ip", "f", "in", "meta mark 0x100000000 accept", "0x100000000", "range"),
        new("bad conntrack state", "ip", "f", "in", "ct state establishd accept", "establishd", "conntrack state"),
        new("bad TCP flag", "ip", "f", "in", "tcp flags syn,bogus drop", "bogus", "flag"),
        new("bad ICMP type", "ip", "f", "in", "icmp type echo-reqest accept", "echo-reqest", "ICMP type"),
        new("bad MAC address", "bridge", "fb", "in", "ether saddr 00:11:22:33:44 drop", "00:11:22:33:44", "parse"),
        new("bad protocol name", "ip", "f", "in", "ip protocol tcpp accept", "tcpp", "protocol"),
        new("bad DSCP name", "ip", "f", "in", "ip dscp cs9 accept", "cs9", "Differentiated Services"),
        new("bad hour", "ip", "f", "in", "meta hour \"25:00\" drop", "\"25:00\"", "hour"),
        new("unknown user", "ip", "f", "in", "meta skuid nosuchuser9 accept", "nosuchuser9", "User"),
        new("bad rate unit", "ip", "f", "in", "limit rate 10/fortnight accept", "fortnight", "fortnight"),
        new("missing counter value", "ip", "f", "in", "counter packets accept", "accept", "accept"),
        new("missing log prefix", "ip", "f", "in", "log prefix accept", "accept", "accept"),
        new("IPv6 match in an ip table", "ip", "f", "in", "ip6 saddr ::1 drop", "ip6 saddr", "conflicting"),
        new("ARP match in an ip table", "ip", "f", "in", "arp operation request accept", "arp operation", "conflicting"),
        new("IPv4 reject in an ip6 table", "ip6", "f6", "in", "reject with icmp type host-unreachable", "icmp type host-unreachable", "conflicting"),
        new("meta nfproto outside inet", "ip", "f", "in", "meta nfproto ipv4 accept", "meta nfproto", "inet"),
        new("NAT in a bridge table", "bridge", "fb", "in", "dnat to 10.0.0.1", "dnat", "NAT"),
        new("NAT without family in inet", "inet", "fi", "in", "dnat to 10.0.0.1", "dnat", "ip"),
        new("missing named set", "ip", "f", "in", "ip saddr @nosuchset drop", "@nosuchset", "No such"),
        new("set type mismatch", "ip", "f", "in", "tcp dport @s4 accept", "@s4", "mismatch"),
        new("conntrack direction typo", "ip", "f", "in", "ct direction orignal accept", "orignal", "direction"),
        new("map of the wrong kind for vmap", "ip", "f", "in", "ip saddr vmap @s4", "@s4", "map"),
        new("statement after a verdict", "ip", "f", "in", "tcp dport 22 accept counter", "counter", "terminal"),
        new("mixed address families in a set", "ip", "f", "in", "ip saddr { 10.0.0.1, ::1 } drop", "::1", "mismatch"),
        new("vlan id out of range", "bridge", "fb", "in", "vlan id 4096 accept", "4096", "4096"),
        new("jump to a missing chain", "ip", "f", "in", "tcp dport 22 jump nosuchchain", "nosuchchain", "jump nosuchchain"),
        new("masquerade in a filter chain", "ip", "f", "in", "tcp dport 22 masquerade", "masquerade", "masquerade"),
        new("dnat in a filter chain", "ip", "f", "in", "tcp dport 22 dnat to 10.0.0.1", "dnat to 10.0.0.1", "dnat"),
    };

    private sealed record Caret(int First, int Last, string Message)
    {
        public int Length => Last - First + 1;
    }

    [GeneratedRegex(@"^/dev/stdin:(\d+):(\d+)-(\d+): Error: (.*)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLocation();

    [KernelFact]
    public void Our_errors_are_at_least_as_precise_as_nft_106()
    {
        Assert.True(Mistakes.Length >= 30);
        using var ns = new ScratchNamespace("errq");
        NftRunner.Load(ns.Name, Ruleset + "\n").EnsureSuccess("nft -f ruleset");
        using var conn = NfTablesConnection.Open(ns.Name);
        var ruleset = new RulesetReader(conn).ReadDescribed();
        string listing = ns.Nft("list", "ruleset").StdOut;
        var report = new StringBuilder();
        report.AppendLine("# Error quality: NftPS against nft 1.0.6");
        report.AppendLine();
        report.AppendLine("Columns are 1-based positions in the rule text. *ok*: our caret is on the wrong part of the rule, no wider than nft's caret or that part, and our reason names the point.");
        report.AppendLine();
        report.AppendLine("| mistake | rule | wrong part | nft 1.0.6 | NftPS | ok |");
        report.AppendLine("| --- | --- | --- | --- | --- | --- |");
        int nftOnTarget = 0, oursOnTarget = 0;
        var worse = new List<string>();
        foreach (var m in Mistakes)
        {
            string prefix = $"add rule {m.Family} {m.Table} {m.Chain} ";
            var r = NftRunner.Nft(ns.Name, new[] { "-c", "-f", "-" }, prefix + m.Rule + "\n");
            Caret? nft = null;
            if (r.ExitCode != 0 && ErrorLocation().Match(r.StdErr) is { Success: true } em)
                nft = new Caret(int.Parse(em.Groups[2].Value) - prefix.Length, int.Parse(em.Groups[3].Value) - prefix.Length, em.Groups[4].Value.Trim());
            Caret? ours = Ours(conn, ruleset, m);
            int whereFirst = m.Rule.IndexOf(m.Where, StringComparison.Ordinal) + 1, whereLast = whereFirst + m.Where.Length - 1;
            Assert.True(whereFirst > 0, $"{m.What}: `{m.Where}` is not in `{m.Rule}`");
            bool Hits(Caret? c) => c is not null && c.First <= whereLast && whereFirst <= c.Last;
            // At least as precise: on the wrong part, no wider than nft's caret or that part, and a reason that
            // names the point.
            bool ok = ours is not null && nft is not null
                      && Hits(ours)
                      && ours.Length <= Math.Max(Math.Max(nft.Length, m.Where.Length), 1)
                      && m.Mention.All(w => ours.Message.Contains(w, StringComparison.OrdinalIgnoreCase));
            if (Hits(nft)) nftOnTarget++;
            if (Hits(ours)) oursOnTarget++;
            report.AppendLine($"| {m.What} | `{m.Rule}` | `{m.Where}` | {Cell(nft)}{(Hits(nft) ? "" : " *(elsewhere)*")} | {Cell(ours)} | {(ok ? "yes" : "**no**")} |");
            if (nft is null) worse.Add($"{m.What}: nft 1.0.6 did not refuse `{m.Rule}` with a location (exit {r.ExitCode}): {r.StdErr.Trim()}");
            else if (!ok) worse.Add($"{m.What}: `{m.Rule}`\n    nft:  {Cell(nft)}\n    ours: {Cell(ours)}");
        }
        report.AppendLine();
        report.AppendLine($"Caret on the wrong part: nft 1.0.6 {nftOnTarget}/{Mistakes.Length}, NftPS {oursOnTarget}/{Mistakes.Length}.");
        // The check-only runs must have left the ruleset alone.
        Assert.Equal(listing, ns.Nft("list", "ruleset").StdOut);
        string path = ConformanceCorpus.ReportPath("error-quality.md");
        File.WriteAllText(path, report.ToString());
        output.WriteLine(report.ToString());
        foreach (var w in worse) output.WriteLine(w);
        Assert.True(worse.Count == 0, string.Join("\n", worse));
    }

    private static string Cell(Caret? c) =>
        c is null ? "(none)" : $"{c.First}-{c.Last}: {c.Message.Split('\n')[0].Replace("|", "\\|")}";

    /// <summary>Our refusal: the compiler's caret, or the kernel's (check-only batch) located through its ext-ack.</summary>
    private static Caret? Ours(NfTablesConnection conn, NftPS.NfTables.Model.NftRuleset ruleset, Mistake m)
    {
        var family = CompilerNft106Tests.ParseFamily(m.Family);
        var ctx = new CompileContext
        {
            Family = family, Table = m.Table, Chain = m.Chain,
            FindSet = n => ruleset.FindSet(family, m.Table, n) is { } s ? SetDeclarations.FromKernel(s) : null,
        };
        CompiledRule compiled;
        try { compiled = RuleCompiler.Compile(m.Rule, ctx); }
        catch (NftLanguageException e) { return new Caret(e.Span.Offset + 1, e.Span.Offset + Math.Max(e.Span.Length, 1), e.Reason); }
        var batch = new NftBatch();
        batch.QueueRule(compiled, family, m.Table, m.Chain);
        var result = conn.ExecuteBatch(batch, new BatchOptions { CheckOnly = true });
        if (result.Succeeded) return null;
        var error = result.Errors[0];
        string said = error.Describe();
        var lines = said.Split('\n');
        int at = Array.IndexOf(lines, m.Rule);
        if (at < 0 || at + 1 >= lines.Length) return new Caret(1, m.Rule.Length, said);
        string caret = lines[at + 1];
        int first = caret.IndexOf('^') + 1;
        return new Caret(first, first + caret.Trim().Length - 1, said);
    }

    [Fact]
    public void Prefix_with_host_bits_compiles_masked_with_a_warning()
    {
        var warnings = new List<string>();
        var ctx = new CompileContext { Family = NftFamily.Ip, Table = "t", Chain = "c", Warning = warnings.Add };
        var masked = RuleCompiler.Compile("ip saddr 1.2.3.4/24 accept", ctx);
        var clean = RuleCompiler.Compile("ip saddr 1.2.3.0/24 accept", new CompileContext { Family = NftFamily.Ip, Table = "t", Chain = "c" });
        Assert.Equal(clean.DebugLines, masked.DebugLines);
        var w = Assert.Single(warnings);
        Assert.Equal("Warning: 1.2.3.4/24 has host bits set; it matches 1.2.3.0/24\nip saddr 1.2.3.4/24 accept\n         ^^^^^^^^^^", w);
        warnings.Clear();
        RuleCompiler.Compile("ip saddr 1.2.3.0/24 ip daddr 10.0.0.0/8 accept", ctx);
        Assert.Empty(warnings);
    }
}
