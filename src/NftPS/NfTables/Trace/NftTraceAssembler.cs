using NftPS.NfTables.Log;

namespace NftPS.NfTables.Trace;

/// <summary>Groups trace steps by trace id into <see cref="NftPacketTrace"/> objects. The kernel never says a trace is
/// over (an accepted packet may still meet the next hook), so a packet is complete when it was dropped (nothing
/// follows a drop) or when no step of it arrived for <see cref="Quiet"/>; <see cref="Flush"/> completes the rest.
/// Steps of tables <see cref="Ignore"/> names (the tracer's own table) are left out of the path.</summary>
public sealed class NftTraceAssembler
{
    private readonly Dictionary<uint, (List<NftTraceStep> Steps, DateTime Last)> _open = new();
    private readonly List<uint> _order = new();

    public TimeSpan Quiet { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>Table names whose steps are not part of the path (compared with the family).</summary>
    public Func<NftTraceStep, bool> Ignore { get; init; } = _ => false;
    /// <summary>Rule text for a rule step (family, table, chain, handle); null when unknown.</summary>
    public Func<NftTraceStep, string?> DescribeRule { get; init; } = _ => null;
    /// <summary>An interface name for an index; null when unknown.</summary>
    public Func<uint, string?> InterfaceName { get; init; } = _ => null;

    /// <summary>The packets completed by these steps (a drop), in the order their first steps arrived.</summary>
    public IEnumerable<NftPacketTrace> Add(IEnumerable<NftTraceStep> steps, DateTime now)
    {
        var done = new List<NftPacketTrace>();
        foreach (var step in steps)
        {
            if (!_open.TryGetValue(step.TraceId, out var entry))
            {
                entry = (new List<NftTraceStep>(), now);
                _order.Add(step.TraceId);
            }
            entry.Steps.Add(step);
            _open[step.TraceId] = (entry.Steps, now);
            if (IsDrop(step)) done.Add(Complete(step.TraceId));
        }
        return done;
    }

    /// <summary>The packets with no step for <see cref="Quiet"/> before <paramref name="now"/>.</summary>
    public IEnumerable<NftPacketTrace> Expire(DateTime now)
    {
        var quiet = _order.Where(id => now - _open[id].Last >= Quiet).ToList();
        return quiet.Select(Complete).Where(t => t.Steps.Length > 0).ToList();
    }

    /// <summary>Every packet still open, completed as it is.</summary>
    public IEnumerable<NftPacketTrace> Flush() => _order.ToList().Select(Complete).Where(t => t.Steps.Length > 0).ToList();

    /// <summary>When the next packet may expire (null when none is open).</summary>
    public DateTime? NextExpiry => _order.Count == 0 ? null : _order.Min(id => _open[id].Last) + Quiet;

    private static bool IsDrop(NftTraceStep s) => s.Verdict == "drop" || s.Policy == "drop";

    private NftPacketTrace Complete(uint id)
    {
        var all = _open[id].Steps;
        _open.Remove(id);
        _order.Remove(id);
        var path = all.Where(s => !Ignore(s)).ToArray();
        foreach (var s in path)
            if (s.Kind == NftTraceStepKind.Rule && s.Handle is not null && s.Rule is null) s.Rule = DescribeRule(s);
        // The headers come with the first step at each hook, the tracer's own rule included: read them from all steps.
        var headers = all.FirstOrDefault(s => s.NetworkHeader is { Length: > 0 });
        PacketFacts? facts = headers is null ? null
            : PacketFacts.Read(Concat(headers.NetworkHeader!, headers.TransportHeader), 0, headers.Family);
        uint? iif = all.Select(s => s.InputInterfaceIndex).LastOrDefault(i => i is not null);
        uint? oif = all.Select(s => s.OutputInterfaceIndex).LastOrDefault(i => i is not null);
        var decided = path.LastOrDefault(s => s.Policy is not null || s.Verdict is not null and not ("continue" or "jump" or "goto" or "return"));
        return new NftPacketTrace
        {
            Id = id,
            Family = all[0].Family,
            InputInterface = iif is uint i ? InterfaceName(i) ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            OutputInterface = oif is uint o ? InterfaceName(o) ?? o.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            Protocol = facts?.Protocol,
            SourceAddress = facts?.Source,
            DestinationAddress = facts?.Destination,
            SourcePort = facts?.SourcePort,
            DestinationPort = facts?.DestinationPort,
            Steps = path,
            Verdict = decided?.Policy ?? decided?.Verdict,
            Policy = decided?.Policy,
        };
    }

    private static byte[] Concat(byte[] network, byte[]? transport)
    {
        if (transport is not { Length: > 0 }) return network;
        // The transport header follows the network header in the packet; the copy of the network header ends where it
        // does (or earlier, when it was cut short, and then the layer-4 facts are read from the wrong place: drop them).
        int headerLength = network.Length > 0 && network[0] >> 4 == 4 ? (network[0] & 0xf) * 4 : network.Length;
        if (headerLength != network.Length) return network;
        // An IPv6 copy stops at 40 bytes: with extension headers the transport header does not follow it.
        if (network[0] >> 4 == 6 && network.Length >= 7 && network[6] is 0 or 43 or 44 or 60) return network;
        return [.. network, .. transport];
    }
}
