using System.Diagnostics;
using System.Net;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Log;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Observe;

/// <summary>NFLOG for real: loopback SYNs in a private namespace, matched by `log group N` rules, read by
/// <see cref="NflogListener"/> and, for the differential, by ulogd2 bound to another group the same rule logs to.</summary>
public class NflogKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;

    public NflogKernelTests(PrivateNetworkNamespace ns)
    {
        _ns = ns;
        if (ns.UnavailableReason is not null) return;
        ProcessRunner.Run("ip", ["netns", "exec", ns.Name, "ip", "link", "set", "lo", "up"]).EnsureSuccess("ip link set lo up");
        // Port 9 is logged to group 1 and group 2 by one rule (so two readers see the same packet); every other
        // group has its own port. A reset answers each SYN, so each connect sends exactly one.
        ns.NftLoad("""
            flush ruleset
            table inet egress {
                chain out {
                    type filter hook output priority 0; policy accept;
                    tcp dport 9 log group 1 prefix "egress-drop: " log group 2 prefix "egress-drop: " reject with tcp reset
                    tcp dport 10 log group 3 reject with tcp reset
                    tcp dport 11 log group 4 reject with tcp reset
                    tcp dport 12 log group 5 prefix "five " reject with tcp reset
                    tcp dport 13 log group 6 reject with tcp reset
                }
            }
            """).EnsureSuccess("load the log ruleset");
    }

    /// <summary>One TCP connect to 127.0.0.1:port from inside the namespace, as root or as nobody (setpriv).</summary>
    private void Connect(int port, bool asNobody = false)
    {
        var args = new List<string> { "netns", "exec", _ns.Name };
        if (asNobody) args.AddRange(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]);
        args.AddRange(["timeout", "3", "bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{port}"]);
        ProcessRunner.Run("ip", args); // refused by the reset: a non-zero exit is what is expected
    }

    private static NftLogPacket Next(NflogListener listener, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
            if (listener.Receive(deadline - DateTime.UtcNow, CancellationToken.None) is { Count: > 0 } got)
                return Assert.Single(got);
        throw new Xunit.Sdk.XunitException($"No packet on NFLOG group {listener.Group} within {within.TotalSeconds} s.");
    }

    [KernelFact]
    public void ThreeSynsAsRootAndNobodyArriveDecodedAndAgreeWithUlogd()
    {
        _ns.Require();
        if (UlogdProcess.UnavailableReason is { } why) Skip.Because(why);
        using var ulogd = new UlogdProcess(_ns.Name, 2);
        WaitBound(2);
        using var listener = NflogListener.Open(_ns.Name, 1);
        foreach (bool nobody in new[] { false, true, false })
        {
            var sent = Stopwatch.StartNew();
            Connect(9, nobody);
            var p = Next(listener, TimeSpan.FromSeconds(5));
            // Queue threshold 1: the packet is there by the time the connecting process has ended.
            Assert.True(sent.Elapsed < TimeSpan.FromSeconds(4), $"arrived after {sent.Elapsed}");
            Assert.Equal("egress-drop: ", p.Prefix);
            Assert.Equal("output", p.Hook);
            Assert.Equal(NftFamily.Ip, p.Family);
            Assert.Equal("lo", p.OutputInterface);
            Assert.Null(p.InputInterface);
            Assert.Equal(nobody ? 65534u : 0u, p.Uid);
            Assert.Equal(nobody ? 65534u : 0u, p.Gid);
            Assert.Equal("tcp", p.Protocol);
            Assert.Equal(IPAddress.Loopback, p.SourceAddress);
            Assert.Equal(IPAddress.Loopback, p.DestinationAddress);
            Assert.Equal((ushort)9, p.DestinationPort);
            Assert.Equal(NftTcpFlags.Syn, p.TcpFlags & ~NftTcpFlags.Ecn & ~NftTcpFlags.Cwr);
            Assert.True(DateTimeOffset.UtcNow - p.Time < TimeSpan.FromSeconds(5));

            // The same packet as ulogd recorded it (its source port identifies it): every field both record agrees.
            string? line = ulogd.WaitForLine($"SPT={p.SourcePort} ", TimeSpan.FromSeconds(5));
            Assert.NotNull(line);
            Assert.Contains($"egress-drop:  IN= OUT={p.OutputInterface} ", line);
            Assert.Contains($" SRC={p.SourceAddress} DST={p.DestinationAddress} LEN={p.PacketLength} ", line);
            Assert.Contains($" PROTO=TCP SPT={p.SourcePort} DPT={p.DestinationPort} ", line);
            Assert.Contains(" SYN ", line);
            Assert.Contains($" UID={p.Uid} GID={p.Gid} MARK={p.Mark:x}", line.Replace("MARK=0x", "MARK="));
        }
    }

    private void WaitBound(ushort group)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (NetworkNamespace.Run(_ns.Name, () => NflogGroupOwner.PortOf(group)) is null)
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"ulogd did not bind NFLOG group {group}.");
            Thread.Sleep(50);
        }
    }

    [KernelFact]
    public void ASecondReaderOfTheGroupIsToldWhoHoldsIt()
    {
        _ns.Require();
        using var first = NflogListener.Open(_ns.Name, 3);
        var ex = Assert.Throws<NftLogGroupBusyException>(() => NflogListener.Open(_ns.Name, 3));
        Assert.Equal((ushort)3, ex.Group);
        Assert.Contains($"(pid {Environment.ProcessId})", ex.Owner);
        Assert.Contains("NFLOG group 3 is already bound by", ex.Message);
        // The first reader still has the group.
        Connect(10);
        Assert.Equal((ushort)10, Next(first, TimeSpan.FromSeconds(5)).DestinationPort);
    }

    [KernelFact]
    public void AGroupHeldByUlogdIsRefusedNamingUlogdWhichKeepsReceiving()
    {
        _ns.Require();
        if (UlogdProcess.UnavailableReason is { } why) Skip.Because(why);
        using var ulogd = new UlogdProcess(_ns.Name, 4);
        WaitBound(4);
        var ex = Assert.Throws<NftLogGroupBusyException>(() => NflogListener.Open(_ns.Name, 4));
        Assert.Contains("ulogd (pid ", ex.Owner);
        Assert.Contains("ulogd", ex.Message);
        Connect(11);
        Assert.NotNull(ulogd.WaitForLine("DPT=11 ", TimeSpan.FromSeconds(5)));
    }

    [KernelFact]
    public void AfterOurReaderStopsUlogdCanBindTheGroup()
    {
        _ns.Require();
        if (UlogdProcess.UnavailableReason is { } why) Skip.Because(why);
        using (var ours = NflogListener.Open(_ns.Name, 5))
        {
            Connect(12);
            Assert.Equal("five ", Next(ours, TimeSpan.FromSeconds(5)).Prefix);
        }
        using var ulogd = new UlogdProcess(_ns.Name, 5);
        WaitBound(5);
        Connect(12);
        Assert.NotNull(ulogd.WaitForLine("DPT=12 ", TimeSpan.FromSeconds(5)));
    }

    [KernelFact]
    public void CancellingABlockedReadEndsItWithin200Milliseconds()
    {
        _ns.Require();
        using var listener = NflogListener.Open(_ns.Name, 6);
        using var cancel = new CancellationTokenSource();
        var clock = new Stopwatch();
        var reading = Task.Run(() => listener.Receive(Timeout.InfiniteTimeSpan, cancel.Token));
        Thread.Sleep(300);
        clock.Start();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => reading.GetAwaiter().GetResult());
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(200), $"took {clock.ElapsedMilliseconds} ms");
    }

    [KernelFact]
    public void ATimeoutWithNoPacketReturnsNothing()
    {
        _ns.Require();
        using var listener = NflogListener.Open(_ns.Name, 7);
        var clock = Stopwatch.StartNew();
        Assert.Empty(listener.Receive(TimeSpan.FromMilliseconds(250), CancellationToken.None));
        Assert.InRange(clock.ElapsedMilliseconds, 200, 2000);
    }
}
