namespace NftPS.Language.Syntax;

internal enum TokenKind
{
    EndOfInput,
    /// <summary>Newline or ';' (statement separator).</summary>
    Separator,
    /// <summary>A bare word: keyword, name, number, address, time string (resolved later by data type).</summary>
    Word,
    /// <summary>A double-quoted string, value without quotes.</summary>
    QuotedString,
    /// <summary>$name.</summary>
    Variable,
    /// <summary>@name (set reference or raw payload base).</summary>
    At,
    Punct,
}

/// <summary>One token with its source span. <see cref="Text"/> is the word, the string without quotes, the
/// variable or set name without its sigil, or the punctuation.</summary>
internal sealed record Token(TokenKind Kind, string Text, SourceSpan Span, bool SpaceBefore)
{
    /// <summary>For a variable inside a definition: the definition it named when that definition was made (nft binds
    /// `define b = $a` to the `a` of that moment, so later redefinitions cannot make a cycle).</summary>
    internal Definition? Bound { get; init; }

        public bool Is(string punctOrWord) => (Kind == TokenKind.Punct || Kind == TokenKind.Word) && Text == punctOrWord;
    public bool IsPunct(string p) => Kind == TokenKind.Punct && Text == p;
    public bool IsWord(string w) => Kind == TokenKind.Word && Text == w;

    /// <summary>What nft's parser error says for this token: "unexpected accept", "unexpected newline".</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfInput => "end of file",
        TokenKind.Separator => Text == ";" ? "semicolon" : "newline",
        TokenKind.QuotedString => "quoted string",
        TokenKind.Variable => "variable reference",
        TokenKind.At => "string",
        TokenKind.Punct => Text switch { "{" => "'{'", "}" => "'}'", "(" => "'('", ")" => "')'", "," => "comma", "." => "dot",
            ":" => "colon", "-" => "dash", "/" => "slash", "*" => "asterisk", "=" => "'='", "[" => "'['", "]" => "']'", _ => Text },
        _ => char.IsDigit(Text[0]) ? "number" : Text.Length > 64 ? Text[..60] + "…" : Text,
    };

    public override string ToString() => $"{Kind} '{Text}' @{Span}";
}
