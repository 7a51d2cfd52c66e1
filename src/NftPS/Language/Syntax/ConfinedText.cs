namespace NftPS.Language.Syntax;

/// <summary>Whether a piece of nft text that came from data (a JSON string statement, a printed rule) stays inside
/// the one statement or rule it stands for: it lexes, its braces, parentheses and brackets balance and never close
/// more than they opened, it has no line break or semicolon outside them (either would end the rule and start a
/// new command), and no '#' (which would make the rest of the line a comment).</summary>
internal static class ConfinedText
{
    /// <summary>Null when the text is confined, else why not.</summary>
    public static string? Problem(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "it is empty";
        if (text.Contains('#')) return "it contains '#', which would comment out the rest of the line";
        List<Token> tokens;
        try
        {
            tokens = Lexer.Tokenize(new SourceText(text));
        }
        catch (NftLanguageException e)
        {
            return e.Reason;
        }
        int depth = 0;
        foreach (var t in tokens)
        {
            if (t.Kind == TokenKind.Punct && t.Text is "{" or "(" or "[") depth++;
            else if (t.Kind == TokenKind.Punct && t.Text is "}" or ")" or "]") depth--;
            else if (t.Kind == TokenKind.Separator && depth == 0)
                return t.Text == ";" ? "it contains ';' outside braces, which would end the rule" : "it contains a line break outside braces, which would end the rule";
            if (depth < 0) return $"'{t.Text}' closes a block it did not open";
        }
        return depth != 0 ? "its braces or parentheses do not balance" : null;
    }
}
