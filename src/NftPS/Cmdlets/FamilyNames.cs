namespace NftPS.Cmdlets;

/// <summary>The values -Family accepts, as nft spells them (tab completion offers these).</summary>
internal static class FamilyNames
{
    public const string Ip = "ip", Ip6 = "ip6", Inet = "inet", Arp = "arp", Bridge = "bridge", Netdev = "netdev";
}
