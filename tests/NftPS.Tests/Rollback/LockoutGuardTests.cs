using System.Management.Automation;
using System.Net;
using NftPS.Cmdlets;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Rollback;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Rollback;

/// <summary>Guard rails without a timer: changes that can cut the caller off are ConfirmImpact High and warn, naming
/// the caller's SSH connection; a change under -ConfirmWithin needs no prompt, its rollback is armed.</summary>
[Collection(SshConnectionEnvironment.Name)]
public sealed class LockoutGuardTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    public LockoutGuardTests(PrivateNetworkNamespace ns) => _ns = ns;

    private const string Guard = """
        table inet guard {
            chain input {
                type filter hook input priority 0; policy accept;
                tcp dport 22 accept
            }
            chain output {
                type filter hook output priority 0; policy accept;
            }
        }
        """;

    [Theory]
    [InlineData(typeof(RemoveNftTableCommand))]
    [InlineData(typeof(ClearNftChainCommand))]
    [InlineData(typeof(ClearNftRulesetCommand))]
    public void RemovingATableAndClearingAChainAreHighImpact(Type cmdlet)
    {
        var attribute = (CmdletAttribute)Attribute.GetCustomAttribute(cmdlet, typeof(CmdletAttribute))!;
        Assert.Equal(ConfirmImpact.High, attribute.ConfirmImpact);
    }

    [Theory]
    [InlineData("203.0.113.7 50022 192.0.2.1 22", "203.0.113.7", 50022, "192.0.2.1", 22)]
    [InlineData("2001:db8::7 40000 2001:db8::1 2222", "2001:db8::7", 40000, "2001:db8::1", 2222)]
    public void SshConnectionIsReadFromSshd(string value, string client, int clientPort, string server, int serverPort)
    {
        var ssh = SshConnection.Parse(value)!;
        Assert.Equal(IPAddress.Parse(client), ssh.Client);
        Assert.Equal(clientPort, ssh.ClientPort);
        Assert.Equal(IPAddress.Parse(server), ssh.Server);
        Assert.Equal(serverPort, ssh.ServerPort);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("203.0.113.7 50022 192.0.2.1")]
    [InlineData("203.0.113.7 50022 192.0.2.1 22 extra")]
    [InlineData("203.0.113.7 0 192.0.2.1 22")]
    [InlineData("203.0.113.7 50022 192.0.2.1 65536")]
    [InlineData("not-an-ip 1 192.0.2.1 22")]
    [InlineData("203.0.113.7 +5 192.0.2.1 22")]
    public void AnythingElseIsNoSshConnection(string? value) => Assert.Null(SshConnection.Parse(value));

    [Theory]
    [InlineData(NftFamily.Inet, 1u, "drop", "203.0.113.7 50022 192.0.2.1 22", true)]
    [InlineData(NftFamily.Ip, 2u, "drop", "203.0.113.7 50022 192.0.2.1 22", true)]
    [InlineData(NftFamily.Ip6, 1u, "drop", "203.0.113.7 50022 192.0.2.1 22", false)]
    [InlineData(NftFamily.Ip6, 1u, "drop", null, true)]
    [InlineData(NftFamily.Inet, 3u, "drop", "203.0.113.7 50022 192.0.2.1 22", false)]
    [InlineData(NftFamily.Inet, 1u, "accept", "203.0.113.7 50022 192.0.2.1 22", false)]
    [InlineData(NftFamily.Netdev, 0u, "drop", null, false)]
    public void APolicyDropOnTheCallersPathIsALockoutRisk(NftFamily family, uint hook, string policy, string? ssh, bool risky)
    {
        var chain = new NftChain { Family = family, Table = "t", Name = "c", HookNumber = hook };
        string? risk = LockoutRisk.OfPolicy(chain, policy, SshConnection.Parse(ssh));
        Assert.Equal(risky, risk is not null);
        if (risky && ssh is not null) Assert.Contains("203.0.113.7:50022 -> 192.0.2.1:22", risk);
    }

    private PowerShellHost Fresh()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Guard).EnsureSuccess("load");
        return new PowerShellHost(_ns.Name);
    }

    [KernelFact]
    public void PolicyDropOnInputWarnsNamingTheSshConnection()
    {
        using var host = Fresh();
        string? saved = Environment.GetEnvironmentVariable("SSH_CONNECTION");
        Environment.SetEnvironmentVariable("SSH_CONNECTION", "203.0.113.7 50022 192.0.2.1 22");
        try
        {
            var r = host.Run("Set-NftChain -NetworkNamespace $ns -Family inet -Table guard -Name input -Policy drop -Confirm:$false -WarningVariable w 3>$null; $w");
            Assert.False(r.HadErrors, r.Describe());
            string warning = Assert.Single(r.Output).ToString();
            Assert.Contains("Possible lockout", warning);
            Assert.Contains("203.0.113.7:50022 -> 192.0.2.1:22", warning);
            Assert.Contains("chain inet guard input", warning);
            Assert.Contains("policy drop", _ns.Nft("list", "chain", "inet", "guard", "input").StdOut);
        }
        finally { Environment.SetEnvironmentVariable("SSH_CONNECTION", saved); }
    }

    [KernelFact]
    public void PolicyDropOnInputIsNotAppliedUnconfirmed()
    {
        using var host = Fresh();
        string before = _ns.NftListRuleset();
        host.Run("Set-NftChain -NetworkNamespace $ns -Family inet -Table guard -Name input -Policy drop 3>$null");
        Assert.Equal(before, _ns.NftListRuleset());
    }

    [KernelFact]
    public void PolicyDropOnOutputNeedsNoConfirmation()
    {
        using var host = Fresh();
        var r = host.Run("Set-NftChain -NetworkNamespace $ns -Family inet -Table guard -Name output -Policy drop -WarningVariable w; $w.Count");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(0, (int)r.Output.Single().BaseObject);
        Assert.Contains("policy drop", _ns.Nft("list", "chain", "inet", "guard", "output").StdOut);
    }

    [KernelFact]
    public void RemovingTheTableHoldingTheAcceptWarns()
    {
        using var host = Fresh();
        var r = host.Run("Remove-NftTable -NetworkNamespace $ns -Family inet -Name guard -Confirm:$false -WarningVariable w 3>$null; $w");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Contains("accepts traffic on the input hook", Assert.Single(r.Output).ToString());
        Assert.Equal("", _ns.NftListRuleset());
    }

    [KernelFact]
    public void UnderConfirmWithinTheRollbackStandsInForThePrompt()
    {
        using var host = Fresh();
        var r = host.Run("""
            $p = Invoke-NftTransaction -NetworkNamespace $ns -ConfirmWithin 60 { Set-NftChain -Family inet -Table guard -Name input -Policy drop }
            $p | Undo-NftChange -Confirm:$false | ForEach-Object Status
            """);
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Equal("Undone", r.Output.Single().ToString());
        Assert.Contains("policy accept", _ns.Nft("list", "chain", "inet", "guard", "input").StdOut);
    }
}
