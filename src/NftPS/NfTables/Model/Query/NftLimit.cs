using System.Globalization;
using System.Text;

namespace NftPS.NfTables.Model;

/// <summary>A rule's rate limit, read from the kernel's limit expression: Rate per Per ("second", "minute", "hour",
/// "day", "week"), its Burst, whether it counts bytes, and Over (`limit rate over …`: matches above the rate).
/// ToString gives the text New-NftRule -Limit takes: "50/second burst 20 packets", "over 10/minute".</summary>
public sealed record NftLimit(ulong Rate, string Per, uint Burst, bool Bytes, bool Over)
{
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Over) sb.Append("over ");
        if (Bytes)
        {
            var (rate, unit) = ByteUnit(Rate);
            sb.Append(rate.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(unit).Append('/').Append(Per);
            if (Burst != 0)
            {
                var (burst, bunit) = ByteUnit(Burst);
                sb.Append(" burst ").Append(burst.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(bunit);
            }
        }
        else
        {
            sb.Append(Rate.ToString(CultureInfo.InvariantCulture)).Append('/').Append(Per);
            // 5 packets is nft's default burst, which it leaves out of the listing too.
            if (Burst != 5 && Burst != 0) sb.Append(" burst ").Append(Burst.ToString(CultureInfo.InvariantCulture)).Append(" packets");
        }
        return sb.ToString();
    }

    private static (ulong, string) ByteUnit(ulong n)
    {
        if (n != 0 && n % (1024 * 1024) == 0) return (n / (1024 * 1024), "mbytes");
        if (n != 0 && n % 1024 == 0) return (n / 1024, "kbytes");
        return (n, "bytes");
    }

    /// <summary>The period word for a limit's unit in seconds, as nft names it.</summary>
    public static string PeriodName(ulong seconds) => seconds switch
    {
        1 => "second",
        60 => "minute",
        3600 => "hour",
        86400 => "day",
        604800 => "week",
        _ => seconds.ToString(CultureInfo.InvariantCulture) + " seconds",
    };
}
