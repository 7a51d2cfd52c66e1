using System.Net;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Rollback;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Rollback;

/// <summary>The lockout guard on rules: a drop/reject rule on the caller's path that can match the caller's SSH
/// connection warns naming the rule and the connection; a policy drop names the accept rule that keeps the connection
/// alive, or says it WILL be dropped.</summary>
[Collection(SshConnectionEnvironment.Name)]
public sealed class LockoutRuleGuardTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    public LockoutRuleGuardTests(PrivateNetworkNamespace ns) => _ns = ns;

    private const string Connection = "203.0.113.7 50022 192.0.2.1 22";
    private static readonly SshConnection Ssh = SshConnection.Parse(Connection)!;
    private static readonly NftChain Input = new() { Family = NftFamily.Inet, Table = "t", Name = "input", HookNumber = 1 };

    private static NftRule Rule(string text, NftRuleAction action, NftMatchValues? matches = null, NftMatchValues? not = null) => new()
    {
        Family = NftFamily.Inet, Table = "t", Chain = "input", Text = text, Handle = 4,
        Facts = new NftRuleFacts { Action = action, Matches = matches ?? NftMatchValues.Empty, Not = not ?? NftMatchValues.Empty },
    };

    private static NftMatchValues Tcp(params int[] dports) => new() { Protocol = new[] { "tcp" }, DestinationPort = dports.Cast<object>().ToArray() };

    [Fact]
    public void ADropRuleMatchingTheConnectionWarnsNamingRuleAndConnection()
    {
        string? risk = LockoutRisk.OfRule(Input, Rule("tcp dport 22 drop", NftRuleAction.Drop, Tcp(22)), Ssh);
        Assert.NotNull(risk);
        Assert.Contains("'tcp dport 22 drop'", risk);
        Assert.Contains("203.0.113.7:50022 -> 192.0.2.1:22", risk);
        Assert.Contains("chain inet t input", risk);
    }

    public static TheoryData<string, NftMatchValues, NftMatchValues?> Unrelated => new()
    {
        { "tcp dport 80 drop", Tcp(80), null },
        { "udp dport 22 drop", new NftMatchValues { Protocol = new[] { "udp" }, DestinationPort = new object[] { 22 } }, null },
        { "ip saddr 198.51.100.0/24 drop", new NftMatchValues { SourceAddress = new object[] { IPNetwork.Parse("198.51.100.0/24") } }, null },
        { "ip saddr != 203.0.113.7 drop", NftMatchValues.Empty, new NftMatchValues { SourceAddress = new object[] { IPAddress.Parse("203.0.113.7") } } },
        { "ct state new drop", new NftMatchValues { ConnectionState = new[] { "new" } }, null },
        { "tcp sport 1-1023 drop", new NftMatchValues { Protocol = new[] { "tcp" }, SourcePort = new object[] { new NftPortRange(1, 1023) } }, null },
    };

    [Theory]
    [MemberData(nameof(Unrelated))]
    public void ADropRuleThatCannotMatchTheConnectionDoesNotWarn(string text, NftMatchValues matches, NftMatchValues? not) =>
        Assert.Null(LockoutRisk.OfRule(Input, Rule(text, NftRuleAction.Drop, matches, not), Ssh));

    [Fact]
    public void ARuleWhoseMatchesCannotBeReadMayMatchAndWarns() =>
        Assert.NotNull(LockoutRisk.OfRule(Input, Rule("meta mark 0x1 reject", NftRuleAction.Reject), Ssh));

    [Fact]
    public void AcceptRulesAndOtherHooksAndFamiliesDoNotWarn()
    {
        Assert.Null(LockoutRisk.OfRule(Input, Rule("tcp dport 22 accept", NftRuleAction.Accept, Tcp(22)), Ssh));
        var output = new NftChain { Family = NftFamily.Inet, Table = "t", Name = "output", HookNumber = 3 };
        Assert.Null(LockoutRisk.OfRule(output, Rule("drop", NftRuleAction.Drop), Ssh));
        var ip6 = new NftChain { Family = NftFamily.Ip6, Table = "t", Name = "input", HookNumber = 1 };
        Assert.Null(LockoutRisk.OfRule(ip6, Rule("drop", NftRuleAction.Drop), Ssh));
    }

    [Fact]
    public void WithoutSshConnectionOnlyRulesThatCanHitRemoteSessionsWarn()
    {
        Assert.Contains("remote sessions", LockoutRisk.OfRule(Input, Rule("tcp dport 22 drop", NftRuleAction.Drop, Tcp(22)), null));
        Assert.Contains("remote sessions", LockoutRisk.OfRule(Input, Rule("drop", NftRuleAction.Drop), null));
        Assert.Null(LockoutRisk.OfRule(Input, Rule("tcp dport 80 drop", NftRuleAction.Drop, Tcp(80)), null));
        Assert.Null(LockoutRisk.OfRule(Input, Rule("ip saddr 198.51.100.9 drop", NftRuleAction.Drop,
            new NftMatchValues { SourceAddress = new object[] { IPAddress.Parse("198.51.100.9") } }), null));
    }

    [Fact]
    public void AnEarlierAcceptThatSurelyTakesTheConnectionShieldsIt()
    {
        var drop = Rule("drop", NftRuleAction.Drop);
        Assert.Null(LockoutRisk.OfRule(Input, drop, Ssh, new[] { Rule("tcp dport 22 accept", NftRuleAction.Accept, Tcp(22)) }));
        Assert.Null(LockoutRisk.OfRule(Input, drop, null, new[] { Rule("ct state established,related accept", NftRuleAction.Accept,
            new NftMatchValues { ConnectionState = new[] { "established", "related" } }) }));
        // An accept on the loopback interface, or one the facts cannot judge, does not shield the connection.
        Assert.NotNull(LockoutRisk.OfRule(Input, drop, Ssh, new[] { Rule("iifname lo accept", NftRuleAction.Accept,
            new NftMatchValues { InputInterface = new[] { "lo" } }) }));
        Assert.NotNull(LockoutRisk.OfRule(Input, drop, Ssh, new[] { Rule("tcp dport 80 accept", NftRuleAction.Accept, Tcp(80)) }));
    }

    [Fact]
    public void APolicyDropNamesTheAcceptRuleThatKeepsTheConnection()
    {
        var rules = new[] { Rule("tcp dport 80 accept", NftRuleAction.Accept, Tcp(80)), Rule("tcp dport 22 accept", NftRuleAction.Accept, Tcp(22)) };
        string risk = LockoutRisk.OfPolicy(Input, "drop", Ssh, rules)!;
        Assert.Contains("accepted by rule 'tcp dport 22 accept' (handle 4)", risk);
        Assert.DoesNotContain("WILL", risk);
    }

    [Fact]
    public void APolicyDropWithoutAMatchingAcceptSaysItWillDrop()
    {
        var rules = new[] { Rule("tcp dport 80 accept", NftRuleAction.Accept, Tcp(80)), Rule("tcp dport 22 drop", NftRuleAction.Drop, Tcp(22)) };
        string risk = LockoutRisk.OfPolicy(Input, "drop", Ssh, rules)!;
        Assert.Contains("WILL be dropped", risk);
        Assert.Contains("chain inet t input", risk);
        Assert.Contains("203.0.113.7:50022 -> 192.0.2.1:22", risk);
    }

    // ---- through the cmdlets, in a private namespace ----

    private const string Guard = """
        table inet guard {
            chain input {
                type filter hook input priority 0; policy accept;
                tcp dport 22 accept
            }
        }
        """;

    private string Run(string script, string? ssh, out PowerShellResult result)
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Guard).EnsureSuccess("load");
        using var host = new PowerShellHost(_ns.Name);
        string? saved = Environment.GetEnvironmentVariable("SSH_CONNECTION");
        Environment.SetEnvironmentVariable("SSH_CONNECTION", ssh);
        try { result = host.Run(script); }
        finally { Environment.SetEnvironmentVariable("SSH_CONNECTION", saved); }
        return _ns.Nft("list", "chain", "inet", "guard", "input").StdOut;
    }

    [KernelFact]
    public void NewNftRuleDropMatchingTheConnectionWarnsNamingIt()
    {
        string after = Run("New-NftRule -NetworkNamespace $ns -Family inet guard input 'tcp dport 22 drop' -Insert -Confirm:$false -WarningVariable w 3>$null; $w",
            Connection, out var r);
        Assert.False(r.HadErrors, r.Describe());
        string warning = Assert.Single(r.Output).ToString();
        Assert.Contains("Possible lockout", warning);
        Assert.Contains("'tcp dport 22 drop'", warning);
        Assert.Contains("203.0.113.7:50022 -> 192.0.2.1:22", warning);
        Assert.Contains("tcp dport 22 drop", after);
    }

    [KernelFact]
    public void NewNftRuleDropForAnotherPortNeitherWarnsNorAsks()
    {
        string after = Run("New-NftRule -NetworkNamespace $ns -Family inet guard input 'tcp dport 8080 drop' -WarningVariable w; $w.Count",
            Connection, out var r);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(0, (int)r.Output.Single().BaseObject);
        Assert.Contains("tcp dport 8080 drop", after);
    }

    [KernelFact]
    public void NewNftRuleDropMatchingTheConnectionIsNotAppliedUnconfirmed()
    {
        string after = Run("New-NftRule -NetworkNamespace $ns -Family inet guard input 'tcp dport 22 drop' -Insert 3>$null", Connection, out _);
        Assert.DoesNotContain("drop", after);
    }

    [KernelFact]
    public void NewNftRuleStructuredRejectWithoutSshConnectionWarnsGenerically()
    {
        string after = Run("New-NftRule -NetworkNamespace $ns -Family inet -Table guard -Chain input -Protocol tcp -DestinationPort 22 -Action Reject -Insert -Confirm:$false -WarningVariable w 3>$null; $w",
            null, out var r);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Contains("remote sessions", Assert.Single(r.Output).ToString());
        Assert.Contains("reject", after);
    }

    [KernelFact]
    public void NewNftRuleDropAppendedAfterTheAcceptForTheConnectionNeitherWarnsNorAsks()
    {
        string after = Run("New-NftRule -NetworkNamespace $ns -Family inet guard input 'drop' -WarningVariable w; $w.Count", Connection, out var r);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(0, (int)r.Output.Single().BaseObject);
        Assert.Contains("drop", after);
    }

    [KernelFact]
    public void NewNftRuleDropAppendedAfterAnAcceptForAnotherPortWarns()
    {
        Run("New-NftRule -NetworkNamespace $ns -Family inet guard input 'drop' -Confirm:$false -WarningVariable w 3>$null; $w",
            "203.0.113.7 50022 192.0.2.1 2222", out var r);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Contains("'drop'", Assert.Single(r.Output).ToString());
    }

    [KernelFact]
    public void NewNftRuleWhatIfNeitherWarnsNorChanges()
    {
        string after = Run("New-NftRule -NetworkNamespace $ns -Family inet guard input 'tcp dport 22 drop' -WhatIf -WarningVariable w; $w.Count",
            Connection, out var r);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(0, (int)r.Output.Single().BaseObject);
        Assert.DoesNotContain("drop", after);
    }

    [KernelFact]
    public void UnderConfirmWithinTheRuleIsAddedWithoutAQuestion()
    {
        string after = Run("""
            $p = Invoke-NftTransaction -NetworkNamespace $ns -ConfirmWithin 60 { New-NftRule -Family inet guard input 'tcp dport 22 drop' -Insert }
            (Get-NftRule -NetworkNamespace $ns -Family inet -Table guard -Chain input).Text -join ';'
            $p | Undo-NftChange -Confirm:$false | ForEach-Object Status
            """, Connection, out var r);
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Contains("tcp dport 22 drop", r.Output[0].ToString());
        Assert.Equal("Undone", r.Output[1].ToString());
        Assert.DoesNotContain("drop", after);
    }

    [KernelFact]
    public void AnAcceptQueuedEarlierInTheTransactionShieldsTheAppendedDrop()
    {
        string after = Run("""
            Invoke-NftTransaction -NetworkNamespace $ns {
                New-NftRule -Family inet guard input 'tcp dport 2222 accept'
                New-NftRule -Family inet guard input 'drop'
            } -WarningVariable w
            $w.Count
            """, "203.0.113.7 50022 192.0.2.1 2222", out var r);
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Equal(0, (int)r.Output.Single().BaseObject);
        Assert.Contains("tcp dport 2222 accept", after);
        Assert.Contains("drop", after);
    }

    [KernelFact]
    public void SetNftRuleTurningTheAcceptIntoADropWarns()
    {
        string after = Run("""
            $rule = Get-NftRule -NetworkNamespace $ns -Family inet -Table guard -Chain input
            $rule | Set-NftRule -Rule 'tcp dport 22 drop' -Confirm:$false -WarningVariable w 3>$null; $w
            """, Connection, out var r);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Contains("'tcp dport 22 drop'", Assert.Single(r.Output).ToString());
        Assert.Contains("tcp dport 22 drop", after);
    }

    [KernelFact]
    public void PolicyDropNamesTheAcceptRuleInTheChain()
    {
        Run("Set-NftChain -NetworkNamespace $ns -Family inet -Table guard -Name input -Policy drop -Confirm:$false -WarningVariable w 3>$null; $w",
            Connection, out var r);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Contains("accepted by rule 'tcp dport 22 accept'", Assert.Single(r.Output).ToString());
    }

    [KernelFact]
    public void PolicyDropWithoutAnAcceptForTheConnectionSaysItWillDrop()
    {
        string after = Run("Set-NftChain -NetworkNamespace $ns -Family inet -Table guard -Name input -Policy drop -Confirm:$false -WarningVariable w 3>$null; $w",
            "203.0.113.7 50022 192.0.2.1 2222", out var r);
        Assert.False(r.HadErrors, r.Describe());
        string warning = Assert.Single(r.Output).ToString();
        Assert.Contains("WILL be dropped", warning);
        Assert.Contains("chain inet guard input", warning);
        Assert.Contains("policy drop", after);
    }
}

/// <summary>Tests that set SSH_CONNECTION (process-wide) run alone: any other test adding a drop rule meanwhile
/// would see the connection and be asked to confirm.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SshConnectionEnvironment
{
    public const string Name = "SSH_CONNECTION environment";
}
