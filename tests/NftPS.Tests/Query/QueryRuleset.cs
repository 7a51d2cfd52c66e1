namespace NftPS.Tests.Query;

/// <summary>A ruleset of our own for the rule queries: every rule commented with what it exercises (negated matches,
/// ranges, prefixes, set literals, wildcards, concatenations, IPv6, each action, counters with values).</summary>
internal static class QueryRuleset
{
    public const string Text = """
        table inet own {
          set blocked { type ipv4_addr; flags interval; elements = { 192.0.2.0/24, 203.0.113.7 } }
          chain sub { }
          chain c {
            tcp dport != 22 ip saddr 10.0.0.0/8 counter packets 7 bytes 700 accept comment "not-ssh-from-ten"
            ip saddr != 10.0.0.0/8 tcp dport 1000-2000 drop comment "range-not-ten"
            iifname "eth*" udp sport { 67, 68 } accept comment "dhcp-eth"
            ip daddr { 172.16.0.0/12, 192.168.1.1 } reject comment "private-reject"
            meta l4proto { tcp, udp } th dport 53 accept comment "dns-any"
            ip saddr @blocked drop comment "blocked"
            tcp dport < 1024 counter packets 0 bytes 0 accept comment "low-ports"
            ip6 saddr 2001:db8::/32 jump sub comment "v6-jump"
            ip saddr . tcp dport { 10.1.1.1 . 22, 10.1.1.2 . 80 } accept comment "concat"
            limit rate over 100/second burst 10 packets log prefix "over: " level debug drop comment "flood"
            ct state { new, untracked } goto sub comment "ctset"
            meta skuid 0 oifname "wg0" return comment "root-wg"
            tcp dport { 25, 465, 587 } counter packets 42 bytes 4200 accept comment "smtp-set"
            ip daddr 10.9.0.1-10.9.0.9 tcp sport != 1024-65535 drop comment "addr-range"
          }
        }
        """;
}
