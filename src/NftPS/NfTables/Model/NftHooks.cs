namespace NftPS.NfTables.Model;

/// <summary>Hook keywords and named priorities as nft 1.0.6 prints them (src/rule.c hooknum2str, prio2str).</summary>
public static class NftHooks
{
    /// <summary>The hook keyword for a hook number in a family; "unknown" as nft prints when none fits.</summary>
    public static string HookName(NftFamily family, uint hook) => family switch
    {
        NftFamily.Ip or NftFamily.Ip6 or NftFamily.Inet or NftFamily.Bridge => hook switch
        {
            0 => "prerouting",
            1 => "input",
            2 => "forward",
            3 => "output",
            4 => "postrouting",
            5 => "ingress",
            _ => "unknown",
        },
        NftFamily.Arp => hook switch { 0 => "input", 1 => "output", 2 => "forward", _ => "unknown" },
        NftFamily.Netdev => hook switch { 0 => "ingress", 1 => "egress", _ => "unknown" },
        _ => "unknown",
    };

    /// <summary>The hook number for a keyword in a family; null when the family has no such hook.</summary>
    public static uint? HookNumber(NftFamily family, string keyword)
    {
        for (uint i = 0; i < 6; i++)
            if (HookName(family, i) == keyword) return i;
        return null;
    }

    private static readonly (string Name, int Value)[] StandardPriorities =
        { ("raw", -300), ("mangle", -150), ("dstnat", -100), ("filter", 0), ("security", 50), ("srcnat", 100) };

    private static readonly (string Name, int Value)[] BridgePriorities =
        { ("dstnat", -300), ("filter", -200), ("out", 100), ("srcnat", 300) };

    /// <summary>The named priorities valid for a family (bridge has its own set).</summary>
    public static IReadOnlyList<(string Name, int Value)> PriorityNames(NftFamily family) =>
        family == NftFamily.Bridge ? BridgePriorities : StandardPriorities;

    /// <summary>The priority as nft prints it: a standard name within ±10 when that name suits the family and hook
    /// ("filter", "srcnat + 5", "filter - 10"), otherwise the number.</summary>
    public static string FormatPriority(NftFamily family, uint hook, int priority)
    {
        foreach (var (name, value) in PriorityNames(family))
        {
            if (Math.Abs((long)priority - value) > 10) continue;
            if (!IsCompatible(family, hook, value)) break;
            int offset = priority - value;
            return offset switch
            {
                > 0 => $"{name} + {offset}",
                < 0 => $"{name} - {-offset}",
                _ => name,
            };
        }
        return priority.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool IsCompatible(NftFamily family, uint hook, int standard)
    {
        if (family == NftFamily.Bridge)
        {
            return standard switch
            {
                -300 => hook == 0,
                -200 => true,
                100 => hook == 3,
                300 => hook == 4,
                _ => false,
            };
        }
        bool ipLike = family is NftFamily.Inet or NftFamily.Ip or NftFamily.Ip6;
        return standard switch
        {
            0 => true,
            -300 or -150 or 50 => ipLike,
            -100 => ipLike && hook == 0,
            100 => ipLike && hook == 4,
            _ => false,
        };
    }

    /// <summary>Milliseconds as nft prints a time: "1d2h3m4s5ms" with zero parts left out.</summary>
    public static string FormatTime(ulong milliseconds)
    {
        var sb = new System.Text.StringBuilder();
        ulong days = milliseconds / 86_400_000; milliseconds %= 86_400_000;
        ulong hours = milliseconds / 3_600_000; milliseconds %= 3_600_000;
        ulong minutes = milliseconds / 60_000; milliseconds %= 60_000;
        ulong seconds = milliseconds / 1000; milliseconds %= 1000;
        if (days > 0) sb.Append(days).Append('d');
        if (hours > 0) sb.Append(hours).Append('h');
        if (minutes > 0) sb.Append(minutes).Append('m');
        if (seconds > 0) sb.Append(seconds).Append('s');
        if (milliseconds > 0) sb.Append(milliseconds).Append("ms");
        return sb.ToString();
    }
}
