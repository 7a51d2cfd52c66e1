using System.Management.Automation;
using NftPS.NfTables;

namespace NftPS.Cmdlets;

/// <summary>The values -Family accepts, as nft spells them (tab completion offers these).</summary>
internal static class FamilyNames
{
    public const string Ip = "ip", Ip6 = "ip6", Inet = "inet", Arp = "arp", Bridge = "bridge", Netdev = "netdev";
}

/// <summary>Turns a -Family keyword (ip, ip6, inet, arp, bridge, netdev, any case) into its <see cref="NftFamily"/>
/// before PowerShell's own conversion, which first tries a case-sensitive Enum.Parse and catches the exception for
/// every lower-case keyword — one thrown exception per cmdlet call. Anything else is left for PowerShell to convert
/// (and to refuse with its usual message), so what is accepted and how it binds are unchanged.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class FamilyTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject pso ? pso.BaseObject : inputData) is string s && Keyword(s) is { } family ? family : inputData;

    private static NftFamily? Keyword(string s) =>
        s.Equals(FamilyNames.Inet, StringComparison.OrdinalIgnoreCase) ? NftFamily.Inet
        : s.Equals(FamilyNames.Ip, StringComparison.OrdinalIgnoreCase) ? NftFamily.Ip
        : s.Equals(FamilyNames.Ip6, StringComparison.OrdinalIgnoreCase) ? NftFamily.Ip6
        : s.Equals(FamilyNames.Arp, StringComparison.OrdinalIgnoreCase) ? NftFamily.Arp
        : s.Equals(FamilyNames.Bridge, StringComparison.OrdinalIgnoreCase) ? NftFamily.Bridge
        : s.Equals(FamilyNames.Netdev, StringComparison.OrdinalIgnoreCase) ? NftFamily.Netdev
        : null;
}
