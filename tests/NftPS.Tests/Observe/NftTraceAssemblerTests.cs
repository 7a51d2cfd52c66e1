using NftPS.NfTables;
using NftPS.NfTables.Trace;

namespace NftPS.Tests.Observe;

/// <summary>Grouping trace steps into packets without a kernel: by trace id, completed by a drop or by quiet time, the
/// tracer's own table left out, rule text and interface names looked up, the packet's facts read from the headers.</summary>
public class NftTraceAssemblerTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static NftTraceStep Rule(uint id, string table, string chain, ulong? handle, string verdict, byte[]? network = null, byte[]? transport = null) =>
        new() { TraceId = id, Kind = NftTraceStepKind.Rule, Family = NftFamily.Inet, Table = table, Chain = chain, Handle = handle,
            Verdict = verdict, NetworkHeader = network, TransportHeader = transport, InputInterfaceIndex = 1 };

    private static NftTraceStep Policy(uint id, string chain, string policy) =>
        new() { TraceId = id, Kind = NftTraceStepKind.Policy, Family = NftFamily.Inet, Table = "filter", Chain = chain, Policy = policy };

    // IPv4 127.0.0.2 -> 127.0.0.1, tcp (20-byte header), then a tcp header 40000 -> 8080 with SYN.
    private static readonly byte[] Ip4 = [0x45, 0, 0, 60, 0, 0, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 2, 127, 0, 0, 1];
    private static readonly byte[] Tcp = [0x9c, 0x40, 0x1f, 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0, 0, 0, 0, 0, 0];

    private static NftTraceAssembler Assembler() => new()
    {
        Ignore = s => s.Table == "nftps_trace_1",
        DescribeRule = s => s.Handle is ulong h ? $"rule {h}" : null,
        InterfaceName = i => i == 1 ? "lo" : null,
    };

    [Fact]
    public void StepsOfOnePacketBecomeOneTraceWithItsFactsAndPathWhenItGoesQuiet()
    {
        var a = Assembler();
        Assert.Empty(a.Add([Rule(7, "nftps_trace_1", "prerouting", 2, "continue", Ip4, Tcp), Rule(7, "filter", "input", 4, "jump")], T0));
        Assert.Empty(a.Add([Rule(7, "filter", "web", 3, "continue"), Rule(7, "filter", "web", null, "continue"), Rule(7, "filter", "input", 5, "accept")], T0.AddMilliseconds(10)));
        Assert.Empty(a.Expire(T0.AddMilliseconds(200)));
        Assert.Equal(T0.AddMilliseconds(260), a.NextExpiry);
        var t = Assert.Single(a.Expire(T0.AddMilliseconds(260)));
        Assert.Equal((7u, "tcp", "127.0.0.2", "127.0.0.1", (ushort?)40000, (ushort?)8080, "lo"),
            (t.Id, t.Protocol, t.SourceAddress?.ToString(), t.DestinationAddress?.ToString(), t.SourcePort, t.DestinationPort, t.InputInterface));
        Assert.Equal(new ulong?[] { 4, 3, null, 5 }, t.Steps.Select(s => s.Handle));
        Assert.Equal(new[] { "rule 4", "rule 3", null, "rule 5" }, t.Steps.Select(s => s.Rule));
        Assert.Equal(("accept", (string?)null), (t.Verdict, t.Policy));
        Assert.Equal(new[] { "filter input", "filter web", "filter input" }, t.Chains);
        Assert.Null(a.NextExpiry);
    }

    [Fact]
    public void ADropCompletesThePacketAtOnceAndOtherPacketsStayOpen()
    {
        var a = Assembler();
        var done = a.Add([Rule(1, "filter", "input", 4, "continue"), Rule(2, "filter", "input", 4, "continue"),
            Rule(1, "filter", "input", null, "continue"), Policy(1, "input", "drop")], T0);
        var t = Assert.Single(done);
        Assert.Equal((1u, "drop", "drop"), (t.Id, t.Verdict, t.Policy));
        Assert.Equal(NftTraceStepKind.Policy, t.Steps[^1].Kind);
        var rest = Assert.Single(a.Flush());
        Assert.Equal((2u, (string?)null), (rest.Id, rest.Verdict));
    }

    [Fact]
    public void APacketSeenOnlyInTheTracersOwnTableIsNotWritten()
    {
        var a = Assembler();
        Assert.Empty(a.Add([Rule(3, "nftps_trace_1", "output", 2, "continue")], T0));
        Assert.Empty(a.Expire(T0.AddSeconds(1)));
        Assert.Null(a.NextExpiry);
    }

    [Fact]
    public void AnIp4HeaderWithOptionsCutShortGivesNoPortsRatherThanWrongOnes()
    {
        var a = Assembler();
        byte[] withOptions = [0x46, .. Ip4[1..], 1, 1, 1, 1];
        withOptions = withOptions[..22]; // the copy ends before the options do
        a.Add([Rule(9, "filter", "input", 4, "accept", withOptions, Tcp)], T0);
        var t = Assert.Single(a.Flush());
        Assert.Equal(("tcp", (ushort?)null), (t.Protocol, t.DestinationPort));
    }
}
