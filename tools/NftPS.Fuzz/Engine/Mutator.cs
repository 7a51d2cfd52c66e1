using System.Text;

namespace NftPS.Fuzz;

/// <summary>Byte- and token-level mutations of a seed text: delete, duplicate, swap, insert punctuation, huge numbers,
/// deep nesting, odd unicode, splice from another seed. Deterministic for a given <see cref="Random"/>.</summary>
public sealed class Mutator
{
    private readonly Random _rng;
    private readonly Func<string> _otherSeed;

    public Mutator(Random rng, Func<string> otherSeed)
    {
        _rng = rng;
        _otherSeed = otherSeed;
    }

    /// <summary>Characters with a meaning somewhere in nft text or JSON.</summary>
    private const string Punctuation = "{}()[],.:-/*=!<>&|^~+;\"$@#\\\n\t'";

    private static readonly string[] HugeNumbers =
    {
        "18446744073709551616", "18446744073709551615", "99999999999999999999999999999", "4294967296", "4294967295",
        "2147483648", "2147483647", "-1", "-2147483649", "65536", "0x" + new string('f', 40), "0", "1e308", "340282366920938463463374607431768211456",
        "9223372036854775808", "1-0", "0/0", "255/33", "-0", "00000000000000000000001", "1.5", "NaN",
    };

    private static readonly string[] OddText =
    {
        "\u0000", "\ud800", "\udc00", "\u202e", "\u00e9", "\u0663", "\uff11", "\ufeff", "\U0001d7d9", "\u0085", "\u2028",
        "\r", "\\", "\"\"", "$", "@", "$x", "@x", "#", "\\\n", "\u00a0", "ﬁ",
    };

    private static readonly string[] Keywords =
    {
        "define x = $x\n", "define y = { 1, 2 }\n", "$y", "@s", "ip saddr", "tcp dport", "ct expiration", "meta mark", "counter",
        "jump { accept }", "map { 1 : 2 }", "vmap { 1 : accept }", "comment \"c\"", "@th,0,2147483648", "@nh,4294967295,8",
        "timeout 99999999999d", "limit rate 4294967296/second", "quota 18446744073709551615 bytes", "| 3", "/1", " - ",
        "include \"/dev/null\"\n", "{\"a\":", "[[[[", "null", "true", "{}", "[]",
    };

    public string Mutate(string seed)
    {
        string s = seed;
        // Mostly one change, so many inputs stay close enough to valid to reach the evaluator and linearizer.
        int rounds = _rng.Next(3) == 0 ? 2 + _rng.Next(3) : 1;
        for (int i = 0; i < rounds; i++) s = MutateOnce(s);
        return s;
    }

    private string MutateOnce(string s)
    {
        if (s.Length == 0) return Pick(Keywords);
        switch (_rng.Next(12))
        {
            case 0: return Delete(s);
            case 1: return DuplicateSpan(s);
            case 2: return SwapTokens(s);
            case 3: return Insert(s, Punctuation[_rng.Next(Punctuation.Length)].ToString());
            case 4: return ReplaceToken(s, Pick(HugeNumbers));
            case 5: return Insert(s, " " + Pick(HugeNumbers) + " ");
            case 6: return Nest(s);
            case 7: return Insert(s, Pick(OddText));
            case 8: return Insert(s, " " + Pick(Keywords) + " ");
            case 9: return Splice(s);
            case 10: return DeleteToken(s);
            default: return FlipChar(s);
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private string Delete(string s)
    {
        int at = _rng.Next(s.Length);
        int len = Math.Min(s.Length - at, 1 + _rng.Next(8));
        return s.Remove(at, len);
    }

    private string DuplicateSpan(string s)
    {
        int at = _rng.Next(s.Length);
        int len = Math.Min(s.Length - at, 1 + _rng.Next(16));
        string span = s.Substring(at, len);
        int times = _rng.Next(10) == 0 ? 1 + _rng.Next(200) : 1;
        return s.Insert(at, string.Concat(Enumerable.Repeat(span, times)));
    }

    private string Insert(string s, string what) => s.Insert(_rng.Next(s.Length + 1), what);

    private string FlipChar(string s)
    {
        int at = _rng.Next(s.Length);
        var sb = new StringBuilder(s);
        sb[at] = (char)(s[at] ^ (1 << _rng.Next(7)));
        return sb.ToString();
    }

    /// <summary>Wraps a random token in parentheses or braces; once in a while very deep (up to 100,000).</summary>
    private string Nest(string s)
    {
        var (start, end) = RandomToken(s);
        int depth = _rng.Next(20) == 0 ? 1 + _rng.Next(100_000) : 1 + _rng.Next(40);
        bool brace = _rng.Next(2) == 0;
        string open = brace ? "{ " : "(", close = brace ? " }" : ")";
        if (_rng.Next(4) == 0) { open = "["; close = "]"; }
        var sb = new StringBuilder(s.Length + depth * 4);
        sb.Append(s, 0, start);
        for (int i = 0; i < depth; i++) sb.Append(open);
        sb.Append(s, start, end - start);
        // Sometimes unbalanced, as a careless edit would leave it.
        int closing = _rng.Next(8) == 0 ? _rng.Next(depth + 1) : depth;
        for (int i = 0; i < closing; i++) sb.Append(close);
        sb.Append(s, end, s.Length - end);
        return sb.ToString();
    }

    private string Splice(string s)
    {
        string other = _otherSeed();
        if (other.Length == 0) return s;
        var (a, b) = RandomToken(other);
        return Insert(s, " " + other[a..b] + " ");
    }

    private string ReplaceToken(string s, string with)
    {
        var (start, end) = RandomToken(s);
        return s[..start] + with + s[end..];
    }

    private string DeleteToken(string s)
    {
        var (start, end) = RandomToken(s);
        return s[..start] + s[end..];
    }

    private string SwapTokens(string s)
    {
        var (a1, a2) = RandomToken(s);
        var (b1, b2) = RandomToken(s);
        if (a1 > b1) (a1, a2, b1, b2) = (b1, b2, a1, a2);
        if (a2 > b1) return s;
        return s[..a1] + s[b1..b2] + s[a2..b1] + s[a1..a2] + s[b2..];
    }

    /// <summary>A whitespace-delimited run around a random position.</summary>
    private (int Start, int End) RandomToken(string s)
    {
        int at = _rng.Next(s.Length);
        int start = at, end = at;
        while (start > 0 && !char.IsWhiteSpace(s[start - 1])) start--;
        while (end < s.Length && !char.IsWhiteSpace(s[end])) end++;
        return (start, end);
    }
}
