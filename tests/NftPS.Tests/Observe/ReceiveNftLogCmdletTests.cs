using System.Diagnostics;
using NftPS.NfTables.Log;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Observe;

/// <summary>Receive-NftLog and New-NftRule -LogGroup in a hosted runspace, in a private namespace.</summary>
public class ReceiveNftLogCmdletTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ReceiveNftLogCmdletTests(ScriptFixture fx) => _fx = fx;

    private PowerShellHost Ready()
    {
        var host = _fx.Require();
        ProcessRunner.Run("ip", ["netns", "exec", _fx.Namespace.Name, "ip", "link", "set", "lo", "up"]).EnsureSuccess("lo up");
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("table inet egress {\n chain out {\n type filter hook output priority 0;\n }\n}\n").EnsureSuccess("nft -f");
        return host;
    }

    private void ConnectLater(int port, TimeSpan delay, int times, bool asNobody = false) => Task.Run(() =>
    {
        Thread.Sleep(delay);
        for (int i = 0; i < times; i++)
        {
            var args = new List<string> { "netns", "exec", _fx.Namespace.Name };
            if (asNobody) args.AddRange(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]);
            args.AddRange(["timeout", "3", "bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{port}"]);
            ProcessRunner.Run("ip", args);
        }
    });

    [KernelFact]
    public void NewNftRuleLogGroupAddsALogGroupRuleThatReceiveNftLogReads()
    {
        var host = Ready();
        var added = host.Run("""
            New-NftRule -NetworkNamespace $ns -Family inet -Table egress -Chain out -Protocol tcp -DestinationPort 9 `
                -LogGroup 11 -LogPrefix 'egress-drop: ' -Action Reject
            """);
        Assert.False(added.HadErrors, added.Describe());
        Assert.Contains("tcp dport 9 log prefix \"egress-drop: \" group 11 reject", _fx.Namespace.NftListRuleset());

        ConnectLater(9, TimeSpan.FromSeconds(1), 2, asNobody: true);
        var r = host.Run("Receive-NftLog -NetworkNamespace $ns -Group 11 -Count 2 -Timeout 30");
        Assert.False(r.HadErrors, r.Describe());
        var packets = r.Objects<NftLogPacket>().ToList();
        Assert.Equal(2, packets.Count);
        Assert.All(packets, p =>
        {
            Assert.Equal("egress-drop: ", p.Prefix);
            Assert.Equal(65534u, p.Uid);
            Assert.Equal((ushort)9, p.DestinationPort);
            Assert.Equal(_fx.Namespace.Name, p.NetworkNamespace);
        });
    }

    [KernelFact]
    public void LogGroupWithLogLevelIsRefusedAsNftRefusesIt()
    {
        var host = Ready();
        var r = host.Run("New-NftRule -NetworkNamespace $ns -Family inet -Table egress -Chain out -LogGroup 1 -LogLevel info");
        Assert.True(r.HadErrors);
        Assert.Contains("level and group are mutually exclusive", r.Describe());
        Assert.DoesNotContain("log", _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void ATimeoutWithoutPacketsEndsQuietly()
    {
        var host = Ready();
        var clock = Stopwatch.StartNew();
        var r = host.Run("Receive-NftLog -NetworkNamespace $ns -Group 12 -Timeout 0.4");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Empty(r.Output);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.35, 5);
    }

    [KernelFact]
    public void AGroupAnotherReaderHoldsIsAResourceBusyErrorNamingIt()
    {
        var host = Ready();
        using var holder = NflogListener.Open(_fx.Namespace.Name, 13);
        var r = host.Run("Receive-NftLog -NetworkNamespace $ns -Group 13 -Timeout 5");
        var error = Assert.Single(r.Errors);
        Assert.Equal("NftLogGroupBusy,NftPS.Cmdlets.ReceiveNftLogCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
        Assert.Contains($"NFLOG group 13 is already bound by", error.ToString());
        Assert.Contains($"(pid {Environment.ProcessId})", error.ToString());
    }
}
