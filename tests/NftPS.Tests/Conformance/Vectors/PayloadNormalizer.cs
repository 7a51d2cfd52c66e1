using System.Buffers.Binary;
using System.Globalization;

namespace NftPS.Tests.Conformance.Vectors;

/// <summary>Compares libnftnl 1.2.4 debug text (nft 1.0.6 `--debug=netlink`: every constant as 32-bit host-endian
/// words, `0x00003500`) with the newer format the `.payload` files use (each constant at its real size and byte
/// order, `0x0035`). Both sides are turned into bytes: an old word is 4 little-endian bytes; a new token is either
/// the bytes in memory order (network-order data) or a host-order number (reversed). Non-constant tokens must be equal.</summary>
public static class PayloadNormalizer
{
    /// <summary>True when two expression lines (`[ cmp eq reg 1 0x00003500 ]`, `[ cmp eq reg 1 0x0035 ]`) carry the same bytes.</summary>
    public static bool ExpressionEquivalent(string oldLine, string newLine)
    {
        var a = Segment(oldLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries), requirePrefix: true);
        var b = Segment(newLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries), requirePrefix: true);
        return SegmentsEquivalent(a, b);
    }

    /// <summary>libnftnl 1.2.4 prints the ct key NFT_CT_ID (23) as "unknown": its ctkey2str refuses keys
    /// `>= NFT_CT_MAX`, and NFT_CT_MAX is NFT_CT_ID, the last key (fixed upstream in 2025, "expr: ct: print key name
    /// of id field"). No other ct key existed then, so "unknown" there can only be the id. Not applied by
    /// <see cref="ExpressionEquivalent"/>: the recorded corpus status counts such lines as different.</summary>
    public static string NameCtKeyId(string oldLine) =>
        oldLine.Replace("[ ct load unknown =>", "[ ct load id =>", StringComparison.Ordinal);

    /// <summary>Compares the expression lists of two records line by line.</summary>
    public static bool ExpressionsEquivalent(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines) =>
        oldLines.Count == newLines.Count && oldLines.Zip(newLines).All(p => ExpressionEquivalent(p.First, p.Second));

    /// <summary>Compares anonymous set element entries as unordered multisets (upstream compares elements as a set).</summary>
    public static bool ElementsEquivalent(IEnumerable<string> oldElements, IEnumerable<string> newElements)
    {
        var remaining = oldElements.Select(ParseElement).ToList();
        foreach (var n in newElements.Select(ParseElement))
        {
            int i = remaining.FindIndex(o => ElementEquivalent(o, n));
            if (i < 0) return false;
            remaining.RemoveAt(i);
        }
        return remaining.Count == 0;
    }

    /// <summary>One element entry: old `element 00002100  : 0 [end]`, new `element 0021` / `element 0021 flags 1`.</summary>
    public static bool ElementEquivalent(string oldElement, string newElement) =>
        ElementEquivalent(ParseElement(oldElement), ParseElement(newElement));

    /// <summary>Bytes of an old-format run of 32-bit host-endian words.</summary>
    public static byte[] OldWordsToBytes(IEnumerable<string> words) =>
        words.SelectMany(w =>
        {
            var b = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, ParseWord(w));
            return b;
        }).ToArray();

    /// <summary>Bytes of a new-format token read in memory order ("0xc0a80302" -> c0 a8 03 02).</summary>
    public static byte[] NewTokenToBytes(string token) => Convert.FromHexString(PadEven(StripPrefix(token)));

    private sealed record ParsedElement(List<string> Key, List<string> KeyEnd, List<string> Data, uint Flags, string? UserData);

    private static ParsedElement ParseElement(string entry)
    {
        string s = entry.Trim();
        if (s.StartsWith("element")) s = s["element".Length..];
        string? userData = null;
        int ud = s.IndexOf("userdata ", StringComparison.Ordinal);
        if (ud >= 0)
        {
            userData = UserDataSummary(s[(ud + "userdata ".Length)..].Trim());
            s = s[..ud].TrimEnd();
        }
        bool old = s.EndsWith("[end]");
        if (old) s = s[..^"[end]".Length];
        var tokens = s.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var key = new List<string>();
        var keyEnd = new List<string>();
        var data = new List<string>();
        uint flags = 0;
        var target = key;
        for (int i = 0; i < tokens.Count; i++)
        {
            string t = tokens[i];
            if (t == ".") continue;
            if (t == "-") { target = keyEnd; continue; }
            if (t == ":") { target = data; continue; }
            if (!old && t == "flags" && i + 1 < tokens.Count)
            {
                flags = ParseNumber(tokens[++i]);
                continue;
            }
            target.Add(t);
        }
        if (old && data.Count > 0)
        {
            // libnftnl 1.2.4 always ends the data part with the element flags in decimal.
            flags = ParseNumber(data[^1]);
            data.RemoveAt(data.Count - 1);
        }
        return new ParsedElement(key, keyEnd, data, flags, userData);
    }

    /// <summary>Element user data as the newer format prints it (`len 6 sum 0x6`, the sum of the bytes); libnftnl
    /// 1.2.4 prints the bytes (`= { \x01\x04... }`, alphanumerics as themselves), which are summed the same way.</summary>
    public static string UserDataSummary(string text)
    {
        if (!text.StartsWith('=')) return text;
        string body = text.TrimStart('=', ' ');
        if (body.StartsWith('{')) body = body[1..];
        if (body.EndsWith('}')) body = body[..^1];
        body = body.Trim();
        var bytes = new List<byte>();
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] == '\\' && i + 3 < body.Length && body[i + 1] == 'x')
            {
                bytes.Add(byte.Parse(body.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
            }
            else bytes.Add((byte)body[i]);
        }
        return UserDataSummary(bytes);
    }

    public static string UserDataSummary(IReadOnlyCollection<byte> bytes) => $"len {bytes.Count} sum 0x{bytes.Sum(b => b):x}";

    private static bool ElementEquivalent(ParsedElement o, ParsedElement n) =>
        o.Flags == n.Flags && o.UserData == n.UserData
        && SegmentsEquivalent(Segment(o.Key, false), Segment(n.Key, false))
        && (n.KeyEnd.Count == 0 || SegmentsEquivalent(Segment(o.KeyEnd, false), Segment(n.KeyEnd, false)))
        && SegmentsEquivalent(Segment(o.Data, false), Segment(n.Data, false));

    /// <summary>A line cut into literal tokens and runs of consecutive hex constants.</summary>
    private static List<object> Segment(IEnumerable<string> tokens, bool requirePrefix)
    {
        var result = new List<object>();
        List<string>? run = null;
        foreach (string t in tokens)
        {
            if (IsHex(t, requirePrefix))
            {
                run ??= new List<string>();
                run.Add(t);
                continue;
            }
            if (run is not null) { result.Add(run); run = null; }
            result.Add(t);
        }
        if (run is not null) result.Add(run);
        return result;
    }

    private static bool SegmentsEquivalent(List<object> oldSegments, List<object> newSegments)
    {
        if (oldSegments.Count != newSegments.Count) return false;
        for (int i = 0; i < oldSegments.Count; i++)
        {
            switch (oldSegments[i], newSegments[i])
            {
                case (string a, string b) when a == b: continue;
                case (List<string> a, List<string> b) when RunEquivalent(a, b): continue;
                default: return false;
            }
        }
        return true;
    }

    /// <summary>Each new token stands for one old word. A value is either network order (each token's bytes equal
    /// the word's little-endian bytes) or a host-order number spread over several words (tokens are the words in
    /// reverse order); the split into values is unknown, so any split that works is accepted.</summary>
    private static bool RunEquivalent(List<string> oldWords, List<string> newTokens)
    {
        int n = newTokens.Count;
        if (oldWords.Count != n) return false;
        var ok = new bool[n + 1];
        ok[n] = true;
        for (int i = n - 1; i >= 0; i--)
        {
            if (NetworkMatch(newTokens[i], oldWords[i]) && ok[i + 1]) { ok[i] = true; continue; }
            for (int g = 1; i + g <= n && !ok[i]; g++)
            {
                if (!ok[i + g]) continue;
                bool all = true;
                for (int k = 0; k < g && all; k++) all = HostMatch(newTokens[i + k], oldWords[i + g - 1 - k]);
                ok[i] = all;
            }
        }
        return ok[0];
    }

    private static bool NetworkMatch(string newToken, string oldWord)
    {
        byte[] nb = NewTokenToBytes(newToken);
        if (nb.Length > 4) return false;
        byte[] ob = OldWordsToBytes(new[] { oldWord });
        for (int i = 0; i < 4; i++)
            if (ob[i] != (i < nb.Length ? nb[i] : 0)) return false;
        return true;
    }

    private static bool HostMatch(string newToken, string oldWord) =>
        StripPrefix(newToken).Length <= 8 && ParseWord(newToken) == ParseWord(oldWord);

    private static bool IsHex(string t, bool requirePrefix)
    {
        string body = t.StartsWith("0x") ? t[2..] : requirePrefix ? "" : t;
        return body.Length > 0 && body.All(char.IsAsciiHexDigit);
    }

    private static string StripPrefix(string t) => t.StartsWith("0x") ? t[2..] : t;
    private static string PadEven(string hex) => hex.Length % 2 == 1 ? "0" + hex : hex;

    private static uint ParseWord(string t) => uint.Parse(StripPrefix(t), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static uint ParseNumber(string t) =>
        t.StartsWith("0x") ? uint.Parse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
        : uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out uint v) ? v : uint.MaxValue;
}
