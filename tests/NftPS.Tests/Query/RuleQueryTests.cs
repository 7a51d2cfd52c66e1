using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Query;

/// <summary>The four scenarios and a ruleset of our own loaded in one private namespace, once per class.</summary>
public sealed class RuleQueryFixture : IDisposable
{
    private readonly ScriptFixture _inner = new();
    private readonly object _gate = new();
    private bool _loaded;

    public PowerShellHost Require()
    {
        var host = _inner.Require();
        lock (_gate)
        {
            if (_loaded) return host;
            ScenarioUsers.Ensure();
            foreach (string name in new[] { "egress-allowlist", "mail-inbound", "mail-outbound", "mail-ratelimit" })
                _inner.Namespace.NftLoad(File.ReadAllText(Path.Combine(TestEnvironment.RequireShared(), "scenarios", name + ".nft")))
                    .EnsureSuccess("nft -f " + name);
            _inner.Namespace.NftLoad(QueryRuleset.Text).EnsureSuccess("nft -f own ruleset");
            host.Run("""
                function Id { process { if ($_.Comment) { $_.Comment } else { '{0} {1} {2} {3}' -f "$($_.Family)".ToLowerInvariant(), $_.Table, $_.Chain, $_.Position } } }
                """);
            _loaded = true;
        }
        return host;
    }

    public void Dispose() => _inner.Dispose();
}

/// <summary>Queries as users write them — Get-NftRule's filters and `Where` over the typed properties — each with
/// the rules it must find (by comment, or "family table chain position" for the scenarios' uncommented rules).</summary>
public class RuleQueryTests : IClassFixture<RuleQueryFixture>
{
    private readonly RuleQueryFixture _fx;

    public RuleQueryTests(RuleQueryFixture fx) => _fx = fx;

    private const string G = "Get-NftRule -NetworkNamespace $ns";

    public static TheoryData<string, string[]> Queries => new()
    {
        // destination port, including ports inside a set literal and ranges
        { $"{G} | Where DestinationPort -contains 443", new[] { "inet filter output 4", "inet filter output 5" } },
        { $"{G} | Where DestinationPort -contains 465", new[] { "smtp-set" } },
        { $"{G} -DestinationPort 993", new[] { "ip filter input 4", "low-ports", "not-ssh-from-ten" } },
        { $"{G} -DestinationPort 1500", new[] { "not-ssh-from-ten", "range-not-ten" } },
        { $"{G} -DestinationPort 22", new[] { "ip filter input 2", "ip filter output 2", "low-ports", "concat" } },
        { $"{G} -Table own -DestinationPort 20-23", new[] { "not-ssh-from-ten", "low-ports", "concat" } },
        // negated matches
        { $"{G} | Where {{ $_.Not.DestinationPort -contains 22 }}", new[] { "not-ssh-from-ten" } },
        { $"{G} | Where {{ $_.Not.SourceAddress -contains [System.Net.IPNetwork]::Parse('10.0.0.0/8') }}", new[] { "range-not-ten" } },
        { $"{G} -Table own -SourcePort 80", new[] { "addr-range" } },
        // source/destination address inside a prefix, set literal of prefixes, ranges, IPv6
        { $"{G} -SourceAddress 10.1.2.3", new[] { "not-ssh-from-ten" } },
        { $"{G} -SourceAddress 10.1.1.0/24", new[] { "not-ssh-from-ten", "concat" } },
        { $"{G} -SourceAddress 192.0.2.1", new[] { "range-not-ten" } },
        { $"{G} -DestinationAddress 1.2.3.4", new[] { "ip filter output 3" } },
        { $"{G} | Where DestinationAddress -contains ([ipaddress]'5.6.7.8')", new[] { "ip filter output 3" } },
        { $"{G} -DestinationAddress 172.20.0.1", new[] { "private-reject" } },
        { $"{G} -DestinationAddress 10.9.0.5", new[] { "addr-range" } },
        { $"{G} | Where {{ $_.Matches('saddr', '2001:db8::1') }}", new[] { "v6-jump" } },
        // protocol
        { $"{G} -Protocol udp", new[] { "inet filter output 2", "inet filter output 3", "ip filter output 4", "dhcp-eth", "dns-any" } },
        { $"{G} -Table mailguard | Where Protocol -eq tcp", new[] { "inet mailguard input 1", "inet mailguard input 2" } },
        // action and target
        { $"{G} -Action Reject", new[] { "private-reject" } },
        { $"{G} -Table mailguard -Action Drop", new[] { "inet mailguard input 0", "inet mailguard input 1" } },
        { $"{G} | Where {{ $_.Action -eq 'Jump' -and $_.Target -eq 'sub' }}", new[] { "v6-jump" } },
        { $"{G} | Where Action -eq Goto", new[] { "ctset" } },
        { $"{G} | Where Action -eq Return", new[] { "root-wg" } },
        // connection state
        { $"{G} -ConnectionState new", new[] { "inet mailguard input 1", "inet mailguard input 2", "ctset" } },
        { $"{G} | Where ConnectionState -contains established", new[] { "inet filter output 0", "ip filter input 1", "ip filter output 1" } },
        // user (meta skuid), by name and by uid
        { $"{G} -User appuser", new[] { "inet filter output 5" } },
        { $"{G} | Where User -contains 0", new[] { "root-wg" } },
        // interfaces, with the rule's wildcard and a PowerShell wildcard
        { $"{G} -InputInterface eth0", new[] { "dhcp-eth" } },
        { $"{G} -InputInterface lo", new[] { "ip filter input 0" } },
        { $"{G} -OutputInterface lo", new[] { "inet filter output 1", "ip filter output 0" } },
        { $"{G} -OutputInterface 'w*'", new[] { "root-wg" } },
        // sets used
        { $"{G} -UsesSet offenders", new[] { "inet mailguard input 0", "inet mailguard input 1" } },
        { $"{G} -UsesSet 'allowed*'", new[] { "inet filter output 4" } },
        { $"{G} | Where Sets -contains blocked", new[] { "blocked" } },
        // comment
        { $"{G} -Comment '*-ten'", new[] { "not-ssh-from-ten", "range-not-ten" } },
        // counters, log and limit
        { $"{G} | Where Counter -gt 0", new[] { "not-ssh-from-ten", "smtp-set" } },
        { $"{G} | Where {{ $_.Counter -ge 10 -and $_.Bytes -gt 1000 }}", new[] { "smtp-set" } },
        { $"{G} | Where LogLevel -eq info", new[] { "inet filter output 6" } },
        { $"{G} | Where LogPrefix -like 'mail*'", new[] { "inet mailguard input 3" } },
        { $"{G} | Where {{ $_.Limit.Over }}", new[] { "flood" } },
        { $"{G} | Where {{ \"$($_.Limit)\" -eq '50/second burst 20 packets' }}", new[] { "inet mailguard input 2" } },
        // several filters at once
        { $"{G} -Protocol tcp -DestinationPort 25 -Action Drop", new[] { "ip filter output 6" } },
    };

    [KernelTheory]
    [MemberData(nameof(Queries))]
    public void QueryFindsExactlyItsRules(string query, string[] expected)
    {
        var host = _fx.Require();
        var r = host.Run(query + " | Id");
        Assert.False(r.HadErrors, r.Describe());
        var found = r.Output.Select(o => o.BaseObject.ToString()).ToArray();
        Assert.Equal(expected.OrderBy(x => x, StringComparer.Ordinal), found.OrderBy(x => x, StringComparer.Ordinal));
    }

    [KernelFact]
    public void ABadFilterValueIsRefusedAsOneValue()
    {
        var host = _fx.Require();
        foreach (string bad in new[] { "-DestinationPort '22; drop'", "-SourceAddress '10.0.0.0/8 accept'", "-DestinationPort 70000", "-User 'no such user'" })
        {
            var r = host.Run($"{G} {bad}");
            var error = r.Terminating ?? r.Errors.FirstOrDefault();
            Assert.NotNull(error);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error!.CategoryInfo.Category);
        }
    }

    [KernelFact]
    public void TypedValuesHaveTheirTypes()
    {
        var host = _fx.Require();
        var r = host.Run($$"""
            $rules = {{G}} -Table own
            $c = $rules | Where Comment -eq 'not-ssh-from-ten'
            $c.SourceAddress[0].GetType().Name
            ($rules | Where Comment -eq 'range-not-ten').DestinationPort[0].GetType().Name
            ($rules | Where Comment -eq 'smtp-set').DestinationPort[0].GetType().Name
            ($rules | Where Comment -eq 'addr-range').DestinationAddress[0].GetType().Name
            ($rules | Where Comment -eq 'blocked').SourceAddress.Count
            ($rules | Where Comment -eq 'flood').Limit.Rate
            """);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(new[] { "IPNetwork", "NftPortRange", "Int32", "NftAddressRange", "0", "100" },
            r.Output.Select(o => o.BaseObject.ToString()).ToArray());
    }
}
