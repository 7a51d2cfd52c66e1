namespace NftPS.NfTables.Expressions.Xtables;

/// <summary>Info blobs of the ebtables extensions (bridge family; revision 0 throughout).</summary>
internal static class EbtDecoder
{
    public static XtInfo? Match(string name, XtInfoReader r) => name switch
    {
        "ip" => new EbtIpInfo(r.Bytes(0, 4), r.Bytes(4, 4), r.Bytes(8, 4), r.Bytes(12, 4), r.U8(16), r.U8(17), r.U8(18), r.U8(19),
            new[] { r.U16(20), r.U16(22) }, new[] { r.U16(24), r.U16(26) }, r.Bytes(20, 2), r.Bytes(24, 2)),
        "ip6" => new EbtIp6Info(r.Bytes(0, 16), r.Bytes(16, 16), r.Bytes(32, 16), r.Bytes(48, 16), r.U8(64), r.U8(65), r.U8(66), r.U8(67),
            new[] { r.U16(68), r.U16(70) }, new[] { r.U16(72), r.U16(74) }, r.Bytes(68, 2), r.Bytes(72, 2)),
        "mark_m" => new EbtMarkMatchInfo(U64(r, 0), U64(r, 8), r.U8(16) != 0, r.U8(17)),
        "pkttype" => new EbtPkttypeInfo(r.U8(0), r.U8(1) != 0),
        "vlan" => new EbtVlanInfo(r.U16(0), r.U8(2), r.Be16(4), r.U8(6), r.U8(7)),
        _ => null,
    };

    public static XtInfo? Target(string name, XtInfoReader r) => name switch
    {
        "log" => new EbtLogInfo(r.U8(0), r.CString(1, 30), r.U32(32)),
        "dnat" or "snat" => new EbtNatInfo(name == "snat", r.Bytes(0, 6), (int)r.U32(8)),
        "mark" => new EbtMarkTargetInfo(U64(r, 0), (int)r.U32(8)),
        "nflog" => new XtNflogInfo(r.U32(0), r.U16(4), r.U16(6), r.U16(8), r.CString(12, 64)),
        _ => null,
    };

    private static ulong U64(XtInfoReader r, int o) => BitConverter.IsLittleEndian
        ? r.U32(o) | (ulong)r.U32(o + 4) << 32
        : (ulong)r.U32(o) << 32 | r.U32(o + 4);
}
