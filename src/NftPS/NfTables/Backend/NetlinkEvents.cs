using NftPS.Netlink;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;

namespace NftPS.NfTables.Backend;

/// <summary>Change events over the NFNLGRP_NFTABLES multicast group: a socket of its own in the connection's
/// namespace, read on a background thread until disposed. Every committed object message becomes an
/// <see cref="NftObjectChanged"/>, and the NEWGEN that ends each commit an <see cref="NftGenerationChanged"/>.</summary>
internal sealed class NetlinkEvents : IDisposable
{
    private const uint NftablesGroup = 7; // NFNLGRP_NFTABLES
    private readonly NetlinkSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly Action<NftRulesetEvent> _onEvent;
    private readonly Action<Exception>? _onError;

    private NetlinkEvents(NetlinkSocket socket, Action<NftRulesetEvent> onEvent, Action<Exception>? onError)
    {
        _socket = socket;
        _onEvent = onEvent;
        _onError = onError;
        _thread = new Thread(Run) { IsBackground = true, Name = "nftps-events" };
    }

    public static NetlinkEvents Start(string? networkNamespace, Action<NftRulesetEvent> onEvent, Action<Exception>? onError)
    {
        var socket = NetlinkSocket.Open(networkNamespace);
        try
        {
            socket.JoinGroup(NftablesGroup);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var events = new NetlinkEvents(socket, onEvent, onError);
        events._thread.Start();
        return events;
    }

    private void Run()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                ReadOnlySpan<byte> datagram;
                try { datagram = _socket.Receive(_stop.Token); }
                catch (TimeoutException) { continue; } // a quiet ruleset is not an error
                var reader = new NetlinkMessageReader(datagram);
                while (reader.TryRead(out var m))
                    if (m.IsNfTables && Decode(m) is { } e) _onEvent(e);
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) when (_stop.IsCancellationRequested) { }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            _onError?.Invoke(e);
        }
    }

    /// <summary>One multicast message as an event, or null for kinds that carry no change.</summary>
    internal static NftRulesetEvent? Decode(in NetlinkMessage m)
    {
        var type = (NfTablesMessageType)m.NfTablesType;
        if (type == NfTablesMessageType.NewGen) return Generation(m);
        var family = (NftFamily)m.Family;
        NftObjectChanged Changed(NftVerb verb, NftObjectKind kind, string? table, string? name, NftObjectBase? o) =>
            new(verb, kind, family, table, name, o);
        switch (type)
        {
            case NfTablesMessageType.NewTable or NfTablesMessageType.DelTable:
            {
                var t = NftMessageDecoder.DecodeTable(m);
                return Changed(Verb(type), NftObjectKind.Table, t.Name, t.Name, t);
            }
            case NfTablesMessageType.NewChain or NfTablesMessageType.DelChain:
            {
                var c = NftMessageDecoder.DecodeChain(m);
                return Changed(Verb(type), NftObjectKind.Chain, c.Table, c.Name, c);
            }
            case NfTablesMessageType.NewRule or NfTablesMessageType.DelRule:
            {
                var r = NftMessageDecoder.DecodeRule(m);
                return Changed(Verb(type), NftObjectKind.Rule, r.Table, r.Chain, r);
            }
            case NfTablesMessageType.NewSet or NfTablesMessageType.DelSet:
            {
                var s = NftMessageDecoder.DecodeSet(m);
                return Changed(Verb(type), s.IsMap ? NftObjectKind.Map : NftObjectKind.Set, s.Table, s.Name, s);
            }
            case NfTablesMessageType.NewSetElement or NfTablesMessageType.DelSetElement:
            {
                // Elements need their set's key type to decode; the event names the set.
                string? table = null, set = null;
                var attrs = m.GetAttributes();
                while (attrs.TryRead(out var a))
                {
                    if (a.Type == Nfta.ElemList.Table) table = a.GetString();
                    else if (a.Type == Nfta.ElemList.Set) set = a.GetString();
                }
                // The raw attributes go along, so a listener that knows the set can decode the elements.
                return Changed(Verb(type), NftObjectKind.Element, table, set, null) with { ElementAttributes = m.Attributes.ToArray() };
            }
            case NfTablesMessageType.NewObject or NfTablesMessageType.DelObject:
            {
                var o = NftMessageDecoder.DecodeObject(m);
                return Changed(Verb(type), NftObjectKind.NamedObject, o.Table, o.Name, o);
            }
            case NfTablesMessageType.NewFlowtable or NfTablesMessageType.DelFlowtable:
            {
                var f = NftMessageDecoder.DecodeFlowtable(m);
                return Changed(Verb(type), NftObjectKind.Flowtable, f.Table, f.Name, f);
            }
            default: return null;
        }
    }

    private static NftVerb Verb(NfTablesMessageType type) => type switch
    {
        NfTablesMessageType.DelTable or NfTablesMessageType.DelChain or NfTablesMessageType.DelRule or NfTablesMessageType.DelSet or
            NfTablesMessageType.DelSetElement or NfTablesMessageType.DelObject or NfTablesMessageType.DelFlowtable => NftVerb.Delete,
        _ => NftVerb.Add,
    };

    private static NftGenerationChanged Generation(in NetlinkMessage m)
    {
        uint generation = 0;
        uint? pid = null;
        string? name = null;
        var attrs = m.GetAttributes();
        while (attrs.TryRead(out var a))
        {
            switch (a.Type)
            {
                case 1: generation = a.GetBe32(); break; // NFTA_GEN_ID
                case 2: pid = a.GetBe32(); break;        // NFTA_GEN_PROC_PID
                case 3: name = a.GetString(); break;     // NFTA_GEN_PROC_NAME
            }
        }
        return new NftGenerationChanged(generation, pid, name);
    }

    public void Dispose()
    {
        _stop.Cancel();
        // The reader polls in short slices, so it sees the cancellation promptly; the socket is closed after it stops.
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }
}
