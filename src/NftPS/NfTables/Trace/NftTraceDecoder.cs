using NftPS.Netlink;

namespace NftPS.NfTables.Trace;

/// <summary>NFT_MSG_TRACE (enum nft_trace_attributes) as an <see cref="NftTraceStep"/>; attributes read by type.</summary>
internal static class NftTraceDecoder
{
    private const ushort Table = 1, Chain = 2, RuleHandle = 3, Type = 4, VerdictNest = 5, Id = 6, Iif = 10, Oif = 12,
        Mark = 14, Policy = 16,
        NetworkHeader = 8, TransportHeader = 9;

    public static NftTraceStep Decode(in NetlinkMessage m)
    {
        string table = "", chain = "";
        ulong? handle = null;
        uint type = 0, id = 0;
        uint? iif = null, oif = null, mark = null, policy = null;
        string? verdict = null, verdictChain = null;
        byte[]? network = null, transport = null;
        var attrs = m.GetAttributes();
        while (attrs.TryRead(out var a))
        {
            switch (a.Type)
            {
                case Table: table = a.GetString(); break;
                case Chain: chain = a.GetString(); break;
                case RuleHandle: handle = a.GetBe64(); break;
                case Type: type = a.GetBe32(); break;
                case Id: id = a.GetBe32(); break;
                case Iif: iif = a.GetBe32(); break;
                case Oif: oif = a.GetBe32(); break;
                case Mark: mark = a.GetBe32(); break;
                case Policy: policy = a.GetBe32(); break;
                case NetworkHeader: network = a.Payload.ToArray(); break;
                case TransportHeader: transport = a.Payload.ToArray(); break;
                case VerdictNest:
                    var v = a.GetNested();
                    while (v.TryRead(out var va))
                    {
                        if (va.Type == 1) verdict = VerdictName(va.GetBe32Signed()); // NFTA_VERDICT_CODE
                        else if (va.Type == 2) verdictChain = va.GetString();       // NFTA_VERDICT_CHAIN
                    }
                    break;
            }
        }
        var kind = type is >= 1 and <= 3 ? (NftTraceStepKind)type : NftTraceStepKind.Unspecified;
        return new NftTraceStep
        {
            TraceId = id, Kind = kind, Family = (NftFamily)m.Family, Table = table, Chain = chain, Handle = handle,
            Verdict = verdict, VerdictChain = verdictChain,
            Policy = kind == NftTraceStepKind.Policy && policy is uint p ? VerdictName((int)p) : null,
            InputInterfaceIndex = iif, OutputInterfaceIndex = oif, Mark = mark,
            NetworkHeader = network, TransportHeader = transport,
        };
    }

    /// <summary>Verdict codes (linux/netfilter.h NF_* and nf_tables.h NFT_*) as nft prints them.</summary>
    internal static string VerdictName(int code) => code switch
    {
        0 => "drop", 1 => "accept", 2 => "stolen", 3 => "queue", 4 => "repeat", 5 => "stop",
        -1 => "continue", -2 => "break", -3 => "jump", -4 => "goto", -5 => "return",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
