using System.Text;
using System.Text.RegularExpressions;
using NftPS.Language;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.Language.Printing;
using NftPS.NfTables.Reading;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Model;

/// <summary>Compares our listing with nft's. Until the language layer prints rules, rule lines are compared only
/// by count (each becomes "&lt;rule&gt;"); element expiry countdowns are masked because they tick.</summary>
public static class ListingComparison
{
    private static readonly Regex Expires = new(@" expires [0-9dhms]+", RegexOptions.Compiled);

    /// <summary>The whole listing with only the ticking expiry countdowns masked.</summary>
    public static string Full(string listing) => Expires.Replace(listing, " expires X");

    /// <summary>Element lists come from the language layer's element printer; this masks them (a wrapped list
    /// becomes one line) to check what the model printer itself decides.</summary>
    public static string WithoutElements(string listing) =>
        Regex.Replace(listing, @"\t\telements = \{[^}]*\}\n", "\t\telements = <...>\n");

    public static string Structural(string listing)
    {
        var sb = new StringBuilder();
        bool inChain = false;
        foreach (var raw in listing.Split('\n'))
        {
            string line = Expires.Replace(raw, " expires X");
            if (line.StartsWith("\tchain ", StringComparison.Ordinal)) inChain = true;
            else if (line == "\t}") inChain = false;
            else if (inChain && line.StartsWith("\t\t", StringComparison.Ordinal) && !line.StartsWith("\t\ttype ", StringComparison.Ordinal)
                     && !line.StartsWith("\t\tcomment \"", StringComparison.Ordinal))
                line = "\t\t<rule>";
            sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    internal static NftRuleset Read(PrivateNetworkNamespace ns, RulesetQuery? query = null)
    {
        using var conn = NfTablesConnection.Open(ns.Name);
        return new RulesetReader(conn).ReadDescribed(query);
    }

    /// <summary>The first differing line, for assertion messages.</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string x = i < e.Length ? e[i] : "<end>", y = i < a.Length ? a[i] : "<end>";
            if (x != y) return $"line {i + 1}: nft «{x}» ours «{y}»";
        }
        return "identical";
    }
}
