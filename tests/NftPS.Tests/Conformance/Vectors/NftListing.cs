using System.Text.RegularExpressions;

namespace NftPS.Tests.Conformance.Vectors;

/// <summary>A rule as `nft -a list ...` printed it: where it is, its handle and its text without the `# handle N` suffix.</summary>
public sealed record ListedRule(string Family, string Table, string Chain, ulong Handle, string Text, int Index);

/// <summary>The rules of an `nft -a list ruleset|table|chain` listing, in listing order.</summary>
public sealed partial class NftListing
{
    public NftListing(IReadOnlyList<ListedRule> rules) => Rules = rules;

    public IReadOnlyList<ListedRule> Rules { get; }

    public IEnumerable<ListedRule> InChain(string family, string table, string chain) =>
        Rules.Where(r => r.Family == family && r.Table == table && r.Chain == chain);

    [GeneratedRegex(@"^table (\S+) (\S+) \{")]
    private static partial Regex TableHeader();

    [GeneratedRegex(@"^chain (\S+) \{")]
    private static partial Regex ChainHeader();

    [GeneratedRegex(@"^(.*?)\s*# handle (\d+)$")]
    private static partial Regex HandleSuffix();

    /// <summary>Parses nft's text listing (needs -a for handles). Braces are counted outside quoted strings so that
    /// anonymous sets and multi-line set element blocks do not confuse the nesting.</summary>
    public static NftListing Parse(string text)
    {
        var rules = new List<ListedRule>();
        string? family = null, table = null, chain = null;
        int depth = 0, index = 0;
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0) continue;
            int before = depth;
            depth += BraceBalance(line);
            if (before == 0 && TableHeader().Match(line) is { Success: true } tm)
            {
                (family, table, chain) = (tm.Groups[1].Value, tm.Groups[2].Value, null);
                continue;
            }
            if (before == 1)
            {
                var cm = ChainHeader().Match(line);
                chain = cm.Success ? cm.Groups[1].Value : null;
                index = 0;
                continue;
            }
            if (before == 2 && chain is not null && family is not null && table is not null
                && HandleSuffix().Match(line) is { Success: true } rm)
            {
                rules.Add(new ListedRule(family, table, chain, ulong.Parse(rm.Groups[2].Value), rm.Groups[1].Value, index++));
            }
        }
        return new NftListing(rules);
    }

    private static int BraceBalance(string line)
    {
        int balance = 0;
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == '{') balance++;
            else if (!quoted && c == '}') balance--;
        }
        return balance;
    }
}
