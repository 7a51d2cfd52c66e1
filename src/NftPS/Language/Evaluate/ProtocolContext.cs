using NftPS.Language.Protocols;
using NftPS.NfTables;

namespace NftPS.Language.Evaluate;

/// <summary>Which header is known at each layer while a rule is evaluated left to right (nftables' proto_ctx).</summary>
internal sealed class ProtocolContext
{
    private readonly HeaderDesc?[] _layers = new HeaderDesc?[4];

    public ProtocolContext(NftFamily family)
    {
        Family = family;
        switch (family)
        {
            case NftFamily.Ip: _layers[(int)ProtoBase.Network] = ProtocolHeaders.Ip; break;
            case NftFamily.Ip6: _layers[(int)ProtoBase.Network] = ProtocolHeaders.Ip6; break;
            case NftFamily.Arp: _layers[(int)ProtoBase.Network] = ProtocolHeaders.Arp; break;
            case NftFamily.Bridge: _layers[(int)ProtoBase.LinkLayer] = ProtocolHeaders.Ether; break;
        }
    }

    public NftFamily Family { get; }

    /// <summary>The network layer is fixed by the table family (ip, ip6, arp) and cannot be chosen by a match.</summary>
    public bool NetworkFixed => Family is NftFamily.Ip or NftFamily.Ip6 or NftFamily.Arp;

    public HeaderDesc? this[ProtoBase b]
    {
        get => _layers[(int)b];
        set => _layers[(int)b] = value;
    }

    /// <summary>Link-layer type was already checked (meta iiftype ether).</summary>
    public bool LinkChecked { get; set; }
}
