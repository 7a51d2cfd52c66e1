using System.Text.RegularExpressions;

namespace NftPS.Tests.PowerShell;

/// <summary>The ruleset the script tests load with nft (the oracle) before each test.</summary>
internal static class SampleRuleset
{
    public const string Text = """
        flush ruleset
        table inet filter {
        	set blocked {
        		type ipv4_addr
        		elements = { 10.0.0.1, 10.0.0.2 }
        	}
        	map ports {
        		type inet_service : verdict
        		elements = { 22 : accept }
        	}
        	counter hits {
        		packets 3 bytes 120
        	}
        	chain input {
        		type filter hook input priority filter; policy drop;
        		iifname "lo" accept
        		tcp dport 22 counter packets 7 bytes 420 accept
        		ip saddr @blocked counter drop
        	}
        	chain forwarding {
        	}
        }
        table ip nat {
        	chain post {
        		type nat hook postrouting priority srcnat; policy accept;
        	}
        }
        table ip6 other {
        }

        """;

    /// <summary>Rule handles in chain order, read from `nft -a list chain`.</summary>
    public static ulong[] RuleHandles(string nftListing) =>
        Regex.Matches(nftListing, @"^\t\t(?!type ).*# handle (\d+)$", RegexOptions.Multiline)
            .Select(m => ulong.Parse(m.Groups[1].Value)).ToArray();
}
