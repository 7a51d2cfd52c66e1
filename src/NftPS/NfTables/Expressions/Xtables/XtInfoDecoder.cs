namespace NftPS.NfTables.Expressions.Xtables;

/// <summary>Reads the info blob of an xt match or target by its name and revision; null for an extension (or a
/// revision) we do not decode, so the expression stays raw and is shown as nft shows an untranslated one.</summary>
public static class XtInfoDecoder
{
    public static XtInfo? Decode(XtablesExpression x, NftFamily family)
    {
        try
        {
            var r = new XtInfoReader(x.Info);
            bool v6 = family == NftFamily.Ip6;
            if (family == NftFamily.Bridge) return x is MatchExpression ? EbtDecoder.Match(x.ExtensionName, r) : EbtDecoder.Target(x.ExtensionName, r);
            return x is MatchExpression ? Match(x.ExtensionName, x.Revision, r, v6) : Target(x.ExtensionName, x.Revision, r, v6);
        }
        catch (XtInfoFormatException)
        {
            return null;
        }
    }

    private static XtInfo? Match(string name, uint rev, XtInfoReader r, bool v6) => name switch
    {
        "conntrack" when rev is >= 1 and <= 3 => Conntrack(r, rev),
        "addrtype" when rev == 1 => new XtAddrtypeInfo(r.U16(0), r.U16(2), r.U32(4)),
        "multiport" when rev == 1 => Multiport(r),
        "comment" => new XtCommentInfo(r.CString(0, Math.Min(256, r.Length))),
        "mark" or "connmark" when rev == 1 => new XtMarkMatchInfo(r.U32(0), r.U32(4), r.U8(8) != 0),
        "limit" => new XtLimitInfo(r.U32(0), r.U32(4)),
        "tcp" => new XtPortsInfo(true, new[] { r.U16(0), r.U16(2) }, new[] { r.U16(4), r.U16(6) }, r.U8(8), r.U8(9), r.U8(10), r.U8(11)),
        "udp" => new XtPortsInfo(false, new[] { r.U16(0), r.U16(2) }, new[] { r.U16(4), r.U16(6) }, 0, 0, 0, r.U8(8)),
        "icmp" or "icmp6" => new XtIcmpInfo(name == "icmp6", r.U8(0), r.U8(1), r.U8(2), (r.U8(3) & 1) != 0),
        "statistic" => new XtStatisticInfo(r.U16(0), r.U16(2), r.U32(4), r.U32(4), r.U32(8)),
        "owner" when rev == 1 => new XtOwnerInfo(r.U32(0), r.U32(4), r.U32(8), r.U32(12), r.U8(16), r.U8(17)),
        _ => null,
    };

    private static XtInfo? Target(string name, uint rev, XtInfoReader r, bool v6) => name switch
    {
        "MASQUERADE" or "REDIRECT" when !v6 && rev == 0 => NatCompat(r),
        "SNAT" or "DNAT" when !v6 && rev == 0 => NatCompat(r),
        "MASQUERADE" or "REDIRECT" or "SNAT" or "DNAT" when rev is 0 or 1 or 2 => NatRange(r, v6),
        "REJECT" => new XtRejectInfo(v6, r.U32(0)),
        "LOG" => new XtLogInfo(r.U8(0), r.U8(1), r.CString(2, 30)),
        "MARK" when rev == 2 => new XtMarkTargetInfo(r.U32(0), r.U32(4)),
        "CONNMARK" when rev == 1 => new XtConnmarkTargetInfo(r.U32(0), r.U32(4), r.U32(8), r.U8(12), 0, 0),
        "CONNMARK" when rev == 2 => new XtConnmarkTargetInfo(r.U32(0), r.U32(4), r.U32(8), r.U8(14), r.U8(12), r.U8(13)),
        "NFLOG" => new XtNflogInfo(r.U32(0), r.U16(4), r.U16(6), r.U16(8), r.CString(12, 64)),
        "TCPMSS" => new XtTcpmssInfo(r.U16(0)),
        "CT" when rev is 0 or 1 or 2 => new XtCtTargetInfo(r.U16(0), r.U16(2), r.CString(12, 16), rev == 0 ? "" : r.CString(28, 32)),
        "NOTRACK" => new XtCtTargetInfo(XtCtTargetInfo.NoTrack, 0, "", ""),
        _ => null,
    };

    private static XtConntrackInfo Conntrack(XtInfoReader r, uint rev)
    {
        var addrs = new byte[4][];
        var masks = new byte[4][];
        for (int i = 0; i < 4; i++)
        {
            addrs[i] = r.Bytes(i * 32, 16);
            masks[i] = r.Bytes(i * 32 + 16, 16);
        }
        var low = new ushort[4];
        var high = new ushort[4];
        // Revision 3 keeps ports as host numbers (a range with the *_high fields); 1 and 2 in network order.
        for (int i = 0; i < 4; i++) low[i] = rev == 3 ? r.U16(138 + 2 * i) : r.Be16(138 + 2 * i);
        ushort matchFlags = r.U16(146), invert = r.U16(148);
        ushort state = rev == 1 ? r.U8(150) : r.U16(150);
        ushort status = rev == 1 ? r.U8(151) : r.U16(152);
        for (int i = 0; i < 4; i++) high[i] = rev == 3 ? r.U16(154 + 2 * i) : low[i];
        return new XtConntrackInfo(matchFlags, invert, state, status, r.U16(136), addrs, masks, low, high, r.U32(128), r.U32(132));
    }

    private static XtMultiportInfo Multiport(XtInfoReader r)
    {
        int count = Math.Min((int)r.U8(1), 15);
        var ports = new ushort[count];
        var flags = new byte[count];
        for (int i = 0; i < count; i++)
        {
            ports[i] = r.U16(2 + 2 * i);
            flags[i] = r.U8(32 + i);
        }
        return new XtMultiportInfo(r.U8(0), ports, flags, r.U8(47) != 0);
    }

    /// <summary>nf_nat_ipv4_multi_range_compat: rangesize, then one nf_nat_ipv4_range.</summary>
    private static XtNatInfo NatCompat(XtInfoReader r) =>
        new(r.U32(4), r.Bytes(8, 4), r.Bytes(12, 4), r.Be16(16), r.Be16(18));

    /// <summary>nf_nat_range / nf_nat_range2: flags, then 16-byte addresses, then ports.</summary>
    private static XtNatInfo NatRange(XtInfoReader r, bool v6) =>
        new(r.U32(0), r.Bytes(4, v6 ? 16 : 4), r.Bytes(20, v6 ? 16 : 4), r.Be16(36), r.Be16(38));
}
