using System.Text.RegularExpressions;

namespace NftPS.Tests.Conformance.Vectors;

/// <summary>Upstream's way of deciding that a listed rule equals the expected text of a `.t` line.</summary>
public static partial class RuleTextComparison
{
    [GeneratedRegex(@"\s*\}")]
    private static partial Regex BlankBeforeBrace();

    /// <summary>Drops the blanks in front of every `}` (upstream's cutting helper does, so `.t` files read `{ 22, 23}`).</summary>
    public static string Normalize(string text) => BlankBeforeBrace().Replace(text.Trim(), "}");

    /// <summary>True when <paramref name="listed"/> (nft's listing of the rule) matches the vector's expected form.</summary>
    public static bool MatchesExpected(RuleVector vector, string listed) =>
        MatchesExpected(vector.Rule, vector.ExpectedListing, listed);

    public static bool MatchesExpected(string inputRule, string expected, string listed)
    {
        string want = Normalize(expected), got = Normalize(listed);
        if (want == got) return true;
        return inputRule.Contains('{') && FirstSetEqualUnordered(want, got);
    }

    /// <summary>Equal except for the order of the elements of the first `{ ... }`.</summary>
    public static bool FirstSetEqualUnordered(string a, string b)
    {
        int pa = a.IndexOf('{'), pb = b.IndexOf('{');
        int ea = a.IndexOf('}'), eb = b.IndexOf('}');
        if (pa < 0 || pb < 0 || ea < pa || eb < pb) return false;
        if (a[..pa] != b[..pb] || a[ea..] != b[eb..]) return false;
        static List<string> Items(string s) => s.Replace(" ", "").Split(',').Order(StringComparer.Ordinal).ToList();
        return Items(a[(pa + 1)..ea]).SequenceEqual(Items(b[(pb + 1)..eb]));
    }
}
