using NftPS.Language.Syntax;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.NfTables.Printing;

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
