using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.NfTables;
using NftPS.Tests.Conformance;
using NftPS.Tests.Conformance.Vectors;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Compiler;

/// <summary>Rules beyond the conformance corpus around dependencies, reject, byte order, VLAN stacking and
/// statement details, compiled by NftPS and checked against the local nft's own `--debug=netlink` output
/// (`nft -c`, in a private namespace, so nothing is committed).</summary>
public class SemanticsAgainstNftTests(ITestOutputHelper output)
{
    public static readonly (string Family, string Rule)[] Cases =
    {
        ("inet", "meta nfproto ipv4 reject"),
        ("inet", "meta nfproto ipv6 reject"),
        ("inet", "meta nfproto ipv4 mark 3 reject"),
        ("netdev", "meta protocol ip reject"),
        ("bridge", "meta protocol ip6 reject"),
        ("inet", "mark 12345 reject with tcp reset"),
        ("ip", "mark 12345 counter reject with tcp reset"),
        ("netdev", "mark 12345 reject with tcp reset"),
        ("bridge", "mark 12345 reject with tcp reset"),
        ("inet", "mark 3 reject with icmp host-unreachable"),
        ("netdev", "mark 3 reject with icmpv6 admin-prohibited"),
        ("inet", "meta l4proto { udp, tcp } reject with tcp reset"),
        ("ip", "meta protocol ip udp dport 67"),
        ("ip", "meta protocol ip counter"),
        ("ip", "meta protocol ip"),
        ("ip6", "meta protocol ip6 meta mark 1"),
        ("ip6", "meta protocol ip meta mark 1"),
        ("inet", "tcp dport 22 iiftype ether ip daddr 1.2.3.4 ether saddr 00:0f:54:0c:11:4 accept"),
        ("netdev", "tcp dport 22 iiftype ether ip daddr 1.2.3.4 ether saddr 00:0f:54:0c:11:4 accept"),
        ("inet", "ether saddr aa:bb:cc:dd:ee:ff ip daddr 192.168.0.1 reject"),
        ("inet", "iiftype ether ip saddr 1.2.3.4"),
        ("netdev", "ether saddr 00:01:02:03:04:05 ip6 daddr ::1"),
        ("inet", "meta nfproto ipv4 ct original saddr 1.2.3.4"),
        ("ip", "ct original saddr 1.2.3.4"),
        ("ip", "ct original ip saddr 192.168.1.0/24"),
        ("ip", "ct reply ip daddr 10.0.0.0/8"),
        ("ip", "ct original ip saddr 192.168.1.0/23"),
        ("ip6", "ct original ip6 saddr dead::/64"),
        ("inet", "ip daddr 0.0.0.0/0 accept"),
        ("ip", "ip saddr 10.0.0.0/8 accept"),
        ("inet", "tcp option maxseg size set rt mtu"),
        ("arp", "@nh,144,48 set 0x112233445566"),
        ("ip", "@nh,8,8 set 1"),
        ("ip", "@nh,96,32 set 0x01020304"),
        ("bridge", "ether type 8021ad vlan id 1 vlan type 8021q vlan id 2 vlan type ip ip protocol 6"),
        ("netdev", "ether type 8021q vlan type 8021q vlan id 2"),
        ("inet", "vlan id 1 ip saddr 1.2.3.4"),
        ("bridge", "vlan id 1 vlan type 8021q vlan id 2 icmp type echo-request"),
        ("bridge", "icmp type echo-request"),
        ("bridge", "icmpv6 type echo-request"),
        ("bridge", "ip protocol 1"),
        ("ip6", "icmp type echo-request"),
        ("ip", "icmpv6 type nd-router-advert"),
        ("inet", "meta nfproto ipv4 icmpv6 type echo-request"),
        ("inet", "meta nfproto ipv6 icmp type echo-request"),
        ("ip", "comp flags 0x0"),
        ("ip", "comp flags 0x2"),
        ("ip", "tcp flags syn"),
        ("netdev", "fwd ip to 192.168.2.200 device \"lo\""),
        ("ip", "ct id 12345"),
        ("inet", "reject with icmpx admin-prohibited"),
        ("bridge", "ip saddr 1.2.3.4 reject"),
        ("bridge", "ether type ip reject"),
        ("netdev", "iiftype ether ip saddr 1.2.3.4 reject"),
        ("inet", "meta l4proto tcp reject"),
        ("inet", "tcp dport 22 reject with tcp reset"),
        ("inet", "ip protocol tcp reject with tcp reset"),
        ("ip6", "reject with icmpv6 no-route"),
        ("inet", "ip6 saddr ::1 reject"),
        ("inet", "meta nfproto ipv4 meta protocol ip"),
        ("netdev", "meta protocol ip udp dport 53"),
        ("bridge", "meta protocol ip udp dport 53"),
        ("netdev", "ether type ip ip saddr 1.2.3.4"),
        ("inet", "ether type ip ip saddr 1.2.3.4"),
        ("inet", "ether saddr 00:01:02:03:04:05 tcp dport 22"),
        ("netdev", "ether saddr 00:01:02:03:04:05 icmp type echo-request"),
        ("inet", "ether saddr 00:01:02:03:04:05 icmpv6 type echo-request"),
        ("bridge", "ether saddr 00:01:02:03:04:05 ip saddr 1.2.3.4"),
        ("bridge", "vlan id 1 ip saddr 1.2.3.4"),
        ("netdev", "vlan id 1 icmp type echo-request"),
        ("ip", "ct original saddr 1.2.3.0/24"),
        ("ip", "ct original ip saddr != 192.168.1.0/24"),
        ("ip", "ct mark 0x10/28"),
        ("ip", "meta mark 0xff00/24"),
        ("inet", "ct original ip6 daddr ::/0"),
        ("ip", "ip saddr 0.0.0.0/0"),
        ("ip", "tcp dport set rt mtu"),
        ("ip", "meta mark set rt mtu"),
        ("inet", "tcp option maxseg size set 1360"),
        ("ip", "ip daddr set @nh,96,32"),
        ("ip", "udp dport set numgen inc mod 2"),
        ("ip", "ct mark set jhash ip saddr mod 2 seed 0x1 offset 3"),
        ("ip", "ct mark set symhash mod 2"),
        ("inet", "meta l4proto tcp tproxy to :50080"),
        ("ip", "meta l4proto tcp tproxy to 1.2.3.4:80"),
        ("inet", "meta l4proto tcp tproxy ip to 1.2.3.4"),
        ("ip", "dup to 1.2.3.4 device \"lo\""),
        ("netdev", "dup to \"lo\""),
        ("netdev", "dup to meta mark map { 0x00000001 : \"lo\", 0x00000002 : \"lo\" }"),
        ("netdev", "fwd to \"lo\""),
        ("ip", "comp flags != 0x23"),
        ("ip", "ct state new"),
        ("ip", "ct status dnat"),
        ("ip", "tcp flags & (syn|ack) == syn"),
        ("ip6", "icmpv6 type echo-request icmpv6 id 3"),
        ("ip", "icmp id 33"),
        ("bridge", "icmp id 33"),
        ("inet", "igmp type membership-query"),
        ("ip6", "igmp type membership-query"),
        ("arp", "arp htype 1 arp ptype ip"),
        ("bridge", "arp htype 1"),
        ("netdev", "arp htype 1"),
    };

    [KernelFact]
    public void Compiled_expressions_equal_nfts_own()
    {
        using var ns = new ScratchNamespace("semantics");
        var mismatches = new List<string>();
        foreach (var (family, rule) in Cases)
        {
            string script = $"add table {family} t\nadd chain {family} t c\nadd rule {family} t c {rule}\n";
            var nft = NftRunner.Nft(ns.Name, new[] { "-c", "--debug=netlink", "-f", "-" }, script);
            var want = PayloadFile.ParseNetlinkDebug(nft.StdOut);
            // The expressions are printed before the kernel sees the batch: a kernel without nft_reject_bridge refuses
            // bridge reject, but nft's encoding is still there to compare.
            if (want.Count != 1)
            {
                mismatches.Add($"{family}: `{rule}`: nft exit {nft.ExitCode}, {want.Count} rule blocks: {nft.StdErr.Trim()}");
                continue;
            }
            var ctx = new CompileContext { Family = CompilerNft106Tests.ParseFamily(family), Table = "t", Chain = "c" };
            List<string> ours;
            try { ours = RuleCompiler.Compile(rule, ctx).Expressions.Select(e => e.ToDebugString()).ToList(); }
            catch (Exception e)
            {
                mismatches.Add($"{family}: `{rule}`: refused by NftPS: {e.Message}");
                continue;
            }
            var theirs = want[0].Expressions.Select(PayloadNormalizer.NameCtKeyId).ToList();
            if (!PayloadNormalizer.ExpressionsEquivalent(theirs, ours))
                mismatches.Add($"{family}: `{rule}`\n    nft:  {string.Join(" ", want[0].Expressions)}\n    ours: {string.Join(" ", ours)}");
        }
        foreach (var m in mismatches) output.WriteLine(m);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {Cases.Length} differ:\n" + string.Join("\n", mismatches));
    }
}
