namespace NftPS.NfTables.Expressions.Xtables;

// The ebtables extensions' structs (linux/netfilter_bridge/ebt_*.h) that ebtables-nft writes as xt expressions in
// bridge tables. `unsigned long` fields are 8 bytes on the 64-bit hosts this runs on.

/// <summary>ebt_ip_info: addresses/masks in network order, ports in host order, icmp type/code in the port unions.</summary>
public sealed record EbtIpInfo(byte[] Source, byte[] Dest, byte[] SourceMask, byte[] DestMask, byte Tos, byte Protocol,
    byte Bitmask, byte InvertFlags, ushort[] SourcePorts, ushort[] DestinationPorts, byte[] IcmpType, byte[] IcmpCode) : XtInfo
{
    public const byte Src = 1, Dst = 2, TosBit = 4, Proto = 8, SrcPort = 0x10, DstPort = 0x20, Icmp = 0x40, Igmp = 0x80;
}

/// <summary>ebt_ip6_info.</summary>
public sealed record EbtIp6Info(byte[] Source, byte[] Dest, byte[] SourceMask, byte[] DestMask, byte TrafficClass, byte Protocol,
    byte Bitmask, byte InvertFlags, ushort[] SourcePorts, ushort[] DestinationPorts, byte[] IcmpType, byte[] IcmpCode) : XtInfo
{
    public const byte Src = 1, Dst = 2, TClass = 4, Proto = 8, SrcPort = 0x10, DstPort = 0x20, Icmp6 = 0x40;
}

/// <summary>ebt_mark_m_info: bitmask 1 = and (with mask), 2 = or.</summary>
public sealed record EbtMarkMatchInfo(ulong Mark, ulong Mask, bool Invert, byte Bitmask) : XtInfo
{
    public const byte And = 1, Or = 2;
}

/// <summary>ebt_pkttype_info.</summary>
public sealed record EbtPkttypeInfo(byte PacketType, bool Invert) : XtInfo;

/// <summary>ebt_vlan_info: bitmask 1 = id, 2 = priority, 4 = encapsulated type.</summary>
public sealed record EbtVlanInfo(ushort Id, byte Priority, ushort Encap, byte Bitmask, byte InvertFlags) : XtInfo
{
    public const byte IdBit = 1, Prio = 2, EncapBit = 4;
}

/// <summary>ebt_log_info.</summary>
public sealed record EbtLogInfo(byte Level, string Prefix, uint Bitmask) : XtInfo;

/// <summary>ebt_mark_t_info: the operation in the high bits of target, the verdict (EBT_ACCEPT…) in the low 4.</summary>
public sealed record EbtMarkTargetInfo(ulong Mark, int Target) : XtInfo
{
    public const int SetValue = unchecked((int)0xfffffff0), OrValue = unchecked((int)0xffffffe0),
        AndValue = unchecked((int)0xffffffd0), XorValue = unchecked((int)0xffffffc0);
}

/// <summary>ebt_nat_info (the snat and dnat targets): the new MAC and the verdict (EBT_ACCEPT…).</summary>
public sealed record EbtNatInfo(bool Source, byte[] Mac, int Target) : XtInfo;
