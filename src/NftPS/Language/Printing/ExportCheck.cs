using NftPS.Language.Syntax;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Language.Printing;

/// <summary>Checks made only when the text is meant to be loaded again (Export-NftRuleset): a rule or element
/// that another tool wrote with strings nft text cannot hold (a quote or line break inside a log prefix, an
/// interface name, a comment) would otherwise read back as different statements or as more commands.</summary>
internal static class ExportCheck
{
    /// <summary>Every element comment must fit in a quoted string.</summary>
    public static void Elements(NftSet set)
    {
        foreach (var e in set.Elements)
            if (e.Comment is { } c && !NftIdentifier.IsQuotable(c))
                throw new NftUnprintableException("element comment", c, $"set {set.Name}");
    }

    /// <summary>The printed element list must be one `{ … }` block: a string element another tool wrote with a quote
    /// in it could otherwise close the block early and start another.</summary>
    public static void ElementsText(NftSet set, string text)
    {
        string inner = text.Replace('#', ' ');
        if (ConfinedText.Problem(inner) is not null || ClosesEarly(inner)) throw new NftUnprintableException("element list", Short(text), $"set {set.Name}");
    }

    /// <summary>Each body line of a named object (a secmark context, a ct helper name…) must stay one line of it.</summary>
    public static void ObjectLines(NftNamedObject obj, IEnumerable<string> lines)
    {
        foreach (string line in lines)
            if (ConfinedText.Problem(line.Replace('#', ' ')) is not null)
                throw new NftUnprintableException("object body", line, $"{obj.TypeKeyword} {obj.Name}");
    }

    private static bool ClosesEarly(string text)
    {
        var tokens = Lexer.Tokenize(new SourceText(text));
        int depth = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind == TokenKind.Punct && t.Text is "{" or "(" or "[") depth++;
            else if (t.Kind == TokenKind.Punct && t.Text is "}" or ")" or "]") depth--;
            if (depth == 0 && i < tokens.Count - 2) return true; // only the last token (before the end) may close it
        }
        return false;
    }

    private static string Short(string text) => text.Length <= 200 ? text : text[..197] + "...";

    /// <summary>A printed rule must stay one rule: it lexes, its braces and parentheses balance, and it holds no
    /// line break or semicolon outside them (those would end it and start another command).</summary>
    public static void RuleText(NftRule rule, string text)
    {
        string owner = $"a rule of chain {rule.Chain} (handle {rule.Handle})";
        foreach (var (kind, value) in NamedStrings(rule.Expressions))
        {
            // `@name` has no quoted form in nft (or our lexer): a set reference must be a plain word.
            bool ok = kind is "set name" or "map name" or "flowtable name" ? NftIdentifier.IsBare(value)
                : value.Length > 0 && NftIdentifier.IsQuotable(value);
            if (!ok) throw new NftUnprintableException(kind, value, owner);
        }
        // '#' is allowed here: printed rules hold none of their own, and a kernel string holding one fails the
        // quotable test above or sits inside quotes.
        if (ConfinedText.Problem(text.Replace('#', ' ')) is not null) throw new NftUnprintableException("rule", text, owner);
    }

    /// <summary>The names and strings a rule's expressions carry as text: chains jumped to, sets looked up or
    /// updated, objects referred to, the log prefix.</summary>
    private static IEnumerable<(string Kind, string Value)> NamedStrings(IEnumerable<Expression> expressions)
    {
        foreach (var x in expressions)
        {
            switch (x)
            {
                case ImmediateExpression { Verdict.Chain: { } chain }: yield return ("chain name", chain); break;
                case LookupExpression l: yield return ("set name", l.SetName); break;
                case DynsetExpression d: yield return ("set name", d.SetName); break;
                case ObjrefExpression { ObjectName: { } o }: yield return ("object name", o); break;
                case ObjrefExpression { SetName: { } s }: yield return ("map name", s); break;
                case FlowOffloadExpression f: yield return ("flowtable name", f.FlowtableName); break;
                case LogExpression { Prefix: { } p }: yield return ("log prefix", p); break;
            }
        }
    }
}
