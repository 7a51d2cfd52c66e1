namespace NftPS.NfTables;

/// <summary>NFT_MSG_* (linux/netfilter/nf_tables.h); the wire type is NFNL_SUBSYS_NFTABLES &lt;&lt; 8 | value.</summary>
public enum NfTablesMessageType : byte
{
    NewTable = 0, GetTable = 1, DelTable = 2,
    NewChain = 3, GetChain = 4, DelChain = 5,
    NewRule = 6, GetRule = 7, DelRule = 8,
    NewSet = 9, GetSet = 10, DelSet = 11,
    NewSetElement = 12, GetSetElement = 13, DelSetElement = 14,
    NewGen = 15, GetGen = 16, Trace = 17,
    NewObject = 18, GetObject = 19, DelObject = 20, GetObjectReset = 21,
    NewFlowtable = 22, GetFlowtable = 23, DelFlowtable = 24,
    GetRuleReset = 25,
    DestroyTable = 26, DestroyChain = 27, DestroyRule = 28, DestroySet = 29, DestroySetElement = 30,
    DestroyObject = 31, DestroyFlowtable = 32, GetSetElementReset = 33,
}

/// <summary>NFPROTO_* values, as carried in nfgenmsg.</summary>
public enum NftFamily : byte
{
    Unspecified = 0,
    Inet = 1,
    Ip = 2,
    Arp = 3,
    Netdev = 5,
    Bridge = 7,
    Ip6 = 10,
}

public static class NftFamilyNames
{
    /// <summary>The keyword nft uses for a family.</summary>
    public static string ToKeyword(this NftFamily family) => family switch
    {
        NftFamily.Inet => "inet",
        NftFamily.Ip => "ip",
        NftFamily.Arp => "arp",
        NftFamily.Netdev => "netdev",
        NftFamily.Bridge => "bridge",
        NftFamily.Ip6 => "ip6",
        _ => "unspec",
    };

    public static bool TryParse(string? keyword, out NftFamily family)
    {
        family = (keyword ?? "").ToLowerInvariant() switch
        {
            "inet" => NftFamily.Inet,
            "ip" or "ipv4" => NftFamily.Ip,
            "arp" => NftFamily.Arp,
            "netdev" => NftFamily.Netdev,
            "bridge" => NftFamily.Bridge,
            "ip6" or "ipv6" => NftFamily.Ip6,
            _ => NftFamily.Unspecified,
        };
        return family != NftFamily.Unspecified;
    }

    /// <summary>The order nft lists families in: it walks tables in kernel order, which is creation order per netns.</summary>
    public static IReadOnlyList<NftFamily> All { get; } =
        new[] { NftFamily.Ip, NftFamily.Ip6, NftFamily.Inet, NftFamily.Arp, NftFamily.Bridge, NftFamily.Netdev };
}
