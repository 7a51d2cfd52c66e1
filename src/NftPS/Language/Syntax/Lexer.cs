using System.Text;

namespace NftPS.Language.Syntax;

/// <summary>Splits nft text into tokens (nftables' scanner.l, simplified): words carry names, numbers, addresses
/// and time strings alike, and are given meaning by the parser and the evaluator. `#` comments and backslash line
/// continuations are dropped; newlines and `;` become separators.</summary>
internal sealed class Lexer
{
    private readonly SourceText _src;
    private readonly string _t;
    private int _pos;

    public Lexer(SourceText source)
    {
        _src = source;
        _t = source.Text;
    }

    public static List<Token> Tokenize(SourceText source)
    {
        var lexer = new Lexer(source);
        var list = new List<Token>();
        Token tok;
        do
        {
            tok = lexer.Next();
            list.Add(tok);
        } while (tok.Kind != TokenKind.EndOfInput);
        return list;
    }

    private SourceSpan Span(int start) => new(_src, start, _pos - start);

    private char Peek(int ahead = 0) => _pos + ahead < _t.Length ? _t[_pos + ahead] : '\0';

    public Token Next()
    {
        bool space = false;
        while (_pos < _t.Length)
        {
            char c = _t[_pos];
            if (c == ' ' || c == '\t' || c == '\r') { _pos++; space = true; }
            else if (c == '\\' && (Peek(1) == '\n' || (Peek(1) == '\r' && Peek(2) == '\n'))) { _pos += Peek(1) == '\r' ? 3 : 2; space = true; }
            else if (c == '#') { while (_pos < _t.Length && _t[_pos] != '\n') _pos++; }
            else break;
        }
        int start = _pos;
        if (_pos >= _t.Length) return new Token(TokenKind.EndOfInput, "", new SourceSpan(_src, _t.Length, 0), space);
        char ch = _t[_pos];
        if (ch == '\n' || ch == ';')
        {
            _pos++;
            return new Token(TokenKind.Separator, ch == ';' ? ";" : "\n", Span(start), space);
        }
        if (ch == '"')
        {
            _pos++;
            var sb = new StringBuilder();
            while (_pos < _t.Length && _t[_pos] != '"')
            {
                if (_t[_pos] == '\n') throw new NftSyntaxException(Span(start), "unterminated string");
                sb.Append(_t[_pos++]);
            }
            if (_pos >= _t.Length) throw new NftSyntaxException(Span(start), "unterminated string");
            _pos++;
            return new Token(TokenKind.QuotedString, sb.ToString(), Span(start), space);
        }
        if ((ch == '$' || ch == '@') && IsIdentStart(Peek(1)))
        {
            _pos++;
            int nameStart = _pos;
            while (_pos < _t.Length && IsIdentChar(_t[_pos], allowSlash: false)) _pos++;
            TrimTrailing(nameStart);
            return new Token(ch == '$' ? TokenKind.Variable : TokenKind.At, _t[nameStart.._pos], Span(start), space);
        }
        // `tcp option @255,8,8`: a raw option kind.
        if (ch == '@' && char.IsDigit(Peek(1)))
        {
            _pos++;
            int numStart = _pos;
            while (char.IsDigit(Peek())) _pos++;
            return new Token(TokenKind.At, _t[numStart.._pos], Span(start), space);
        }
        if (TryAddress(out int addrEnd))
        {
            _pos = addrEnd;
            return new Token(TokenKind.Word, _t[start.._pos], Span(start), space);
        }
        if (TryClassid(out int classidEnd))
        {
            _pos = classidEnd;
            return new Token(TokenKind.Word, _t[start.._pos], Span(start), space);
        }
        if (char.IsDigit(ch))
        {
            if (ch == '0' && (Peek(1) == 'x' || Peek(1) == 'X') && IsHex(Peek(2)))
            {
                _pos += 2;
                while (IsHex(Peek())) _pos++;
            }
            else
                while (char.IsDigit(Peek())) _pos++;
            // Time strings and units glued to a number: 10m, 1h30m, 2d, 10kbytes.
            while (char.IsLetterOrDigit(Peek()) || Peek() == '_') _pos++;
            return new Token(TokenKind.Word, _t[start.._pos], Span(start), space);
        }
        if (IsIdentStart(ch))
        {
            _pos++;
            while (_pos < _t.Length && IsIdentChar(_t[_pos], allowSlash: false)) _pos++;
            TrimTrailing(start + 1);
            return new Token(TokenKind.Word, _t[start.._pos], Span(start), space);
        }
        if (TwoCharPunct(ch, Peek(1)) is { } two)
        {
            _pos += 2;
            return new Token(TokenKind.Punct, two, Span(start), space);
        }
        int single = SinglePunct.IndexOf(ch);
        if (single >= 0)
        {
            _pos++;
            return new Token(TokenKind.Punct, SinglePunctText[single], Span(start), space);
        }
        _pos++;
        throw new NftSyntaxException(Span(start), $"syntax error, unexpected junk");
    }

    private const string SinglePunct = "{}()[],.:-/*=!<>&|^~+";

    // One string per punctuation character, so deep or long input does not allocate one per token.
    private static readonly string[] SinglePunctText = SinglePunct.Select(c => c.ToString()).ToArray();

    private static string? TwoCharPunct(char a, char b) => (a, b) switch
    {
        ('=', '=') => "==", ('!', '=') => "!=", ('<', '=') => "<=", ('>', '=') => ">=", ('<', '<') => "<<", ('>', '>') => ">>",
        _ => null,
    };

    // An identifier may contain '-' and '.' inside, never at its end ("echo-request", "eth0.100").
    private void TrimTrailing(int min)
    {
        while (_pos > min && (_t[_pos - 1] == '-' || _t[_pos - 1] == '.')) _pos--;
    }

    private static bool IsIdentStart(char c) => char.IsLetter(c) || c == '_';

    private bool IsIdentChar(char c, bool allowSlash) =>
        char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || (allowSlash && c == '/');

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    /// <summary>A tc class id `hex4:hex4`, as nft's scanner takes it: only when followed by a blank, newline, colon,
    /// dash, comma or '}'.</summary>
    private bool TryClassid(out int end)
    {
        end = _pos;
        int i = _pos, a = 0, b = 0;
        while (i < _t.Length && IsHex(_t[i]) && a < 5) { i++; a++; }
        if (a is 0 or > 4 || i >= _t.Length || _t[i] != ':') return false;
        i++;
        while (i < _t.Length && IsHex(_t[i]) && b < 5) { i++; b++; }
        if (b is 0 or > 4) return false;
        if (i < _t.Length && " \t\r\n:-},".IndexOf(_t[i]) < 0) return false;
        end = i;
        return true;
    }

    private static bool IsIpv6(string s) => s.Contains(':') && System.Net.IPAddress.TryParse(s, out var a)
        && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    /// <summary>IPv4 (a.b.c.d), IPv6 (at least two colons or "::") and MAC addresses (colon groups).</summary>
    private bool TryAddress(out int end)
    {
        end = _pos;
        // Every address starts with a hex digit or ':' (`::1`); most tokens do not, and this runs for each of them.
        if (!IsHex(_t[_pos]) && _t[_pos] != ':') return false;
        int i = _pos;
        while (i < _t.Length && (IsHex(_t[i]) || _t[i] == ':' || _t[i] == '.')) i++;
        // An address must not run into an identifier (`dead::beefy` or `acceptx`), except where nft's scanner finds
        // the longest address followed by a colon: `aaaa:::accept` in a verdict map is `…aaaa::`, `:`, `accept`.
        bool intoIdentifier = i < _t.Length && (char.IsLetterOrDigit(_t[i]) || _t[i] == '_');
        if (intoIdentifier)
        {
            for (int k = i - 1; k > _pos + 1; k--)
                if (_t[k] == ':' && _t[k - 1] == ':' && IsIpv6(_t[_pos..k])) { end = k; return true; }
        }
        string run = _t[_pos..i];
        while (run.EndsWith('.')) { run = run[..^1]; i--; }
        int colons = run.Count(c => c == ':');
        if (!intoIdentifier && (colons >= 2 || run.Contains("::")))
        {
            // A trailing single ':' belongs to a map (`::dddd: drop`) when what precedes it is an address.
            if (run.EndsWith(':') && !run.EndsWith("::"))
            {
                if (!IsIpv6(run[..^1])) return false;
                i--;
            }
            end = i;
            return true;
        }
        // IPv4: four dotted decimal groups (the trailing :port of `1.2.3.4:80` is not part of it).
        int j = _pos, groups = 0;
        while (true)
        {
            int d = j;
            while (j < _t.Length && char.IsDigit(_t[j])) j++;
            if (j == d) return false;
            groups++;
            if (groups == 4) break;
            if (j >= _t.Length || _t[j] != '.') return false;
            j++;
        }
        if (j < _t.Length && (char.IsLetterOrDigit(_t[j]) || _t[j] == '_' || _t[j] == '.')) return false;
        end = j;
        return true;
    }
}
