using System.Globalization;
using System.Text;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;

namespace NftPS.Language.Printing;

/// <summary>The text of the typed loads other than payload, meta, ct and exthdr (nft's rt, socket, osf, fib, numgen,
/// hash and xfrm expr_print).</summary>
internal static class LoadText
{
    public static string Of(SExpr e, ExprPrinter p) => e switch
    {
        RtX rt => rt.Key switch
        {
            RtKey.NextHop4 => "rt ip nexthop",
            RtKey.NextHop6 => "rt ip6 nexthop",
            _ => "rt " + rt.Token,
        },
        SocketX so => "socket " + so.Token + (so.Level is { } lv ? " level " + lv.ToString(CultureInfo.InvariantCulture) : ""),
        OsfX os => "osf " + (os.Ttl switch { 1 => "ttl loose ", 2 => "ttl skip ", _ => "" }) + (os.Version ? "version" : "name"),
        FibX fib => Fib(fib),
        NumgenX ng => $"numgen {NumgenMode(ng.Mode)} mod {ng.Modulus}" + (ng.Offset != 0 ? " offset " + ng.Offset : ""),
        HashX h => Hash(h, p),
        XfrmX xf => Xfrm(xf),
        _ => throw new ArgumentException("not a load of its own: " + e.GetType().Name, nameof(e)),
    };

    public static string NumgenMode(NumgenType mode) => mode == NumgenType.Random ? "random" : "inc";

    /// <summary>The names of the fib flags in nft's order, and the bits no name covers.</summary>
    public static (List<string> Names, uint Unnamed) FibFlagNames(uint flags)
    {
        var names = new List<string>();
        foreach (var (flag, name) in OtherKeys.FibFlags)
            if ((flags & flag) != 0) { names.Add(name); flags &= ~flag; }
        return (names, flags);
    }

    private static string Fib(FibX fib)
    {
        var (names, rest) = FibFlagNames(fib.Flags);
        var sb = new StringBuilder("fib ");
        sb.Append(string.Join(" . ", names));
        if (rest != 0) sb.Append("0x").Append(rest.ToString("x", CultureInfo.InvariantCulture));
        return sb.Append(' ').Append(fib.ResultToken).ToString();
    }

    public static string HashName(HashX h) => h.Symmetric ? "symhash" : "jhash";

    private static string Hash(HashX h, ExprPrinter p)
    {
        var sb = new StringBuilder(HashName(h));
        if (h.Inner is not null) sb.Append(' ').Append(p.Print(h.Inner));
        sb.Append(" mod ").Append(h.Modulus);
        if (h.Seed is { } seed) sb.Append(" seed 0x").Append(seed.ToString("x", CultureInfo.InvariantCulture));
        if (h.Offset != 0) sb.Append(" offset ").Append(h.Offset);
        return sb.ToString();
    }

    /// <summary>`ip`/`ip6` in front of an address key (xfrm_expr_print), null for the other keys.</summary>
    public static string? XfrmFamily(XfrmKey key) => key switch
    {
        XfrmKey.DaddrIp4 or XfrmKey.SaddrIp4 => "ip",
        XfrmKey.DaddrIp6 or XfrmKey.SaddrIp6 => "ip6",
        _ => null,
    };

    public static string XfrmDirectionName(XfrmDirection d) => d == XfrmDirection.In ? "in" : "out";

    private static string Xfrm(XfrmX xf)
    {
        string text = "ipsec " + XfrmDirectionName(xf.Direction) + (xf.SpNum != 0 ? " spnum " + xf.SpNum : "");
        return text + (XfrmFamily(xf.Key) is { } fam ? " " + fam + " " : " ") + xf.Token;
    }
}
