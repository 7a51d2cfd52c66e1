using System.Text;
using NftPS.Language.Syntax;
using NftPS.NfTables.Model;

namespace NftPS.Language.Printing;

/// <summary>Values (parsed with <see cref="Parser.ParseOneValue"/> and its siblings, or built from typed PowerShell
/// values) written back as nft text for -WhatIf and descriptions: every string quoted, so the text re-parses to the
/// value it came from. nft's strings have no escapes, so a string nft cannot write (a `"`, a line break, a NUL) is
/// refused here rather than written in a form that would mean something else.</summary>
internal static class ValueText
{
    /// <summary>nft's limit on comments (NFTNL_UDATA_COMMENT_MAXLEN): "comment too long, 128 characters maximum allowed".</summary>
    public const int MaxCommentBytes = 128;

    public static string Print(Node node) => node switch
    {
        SymbolNode { Quoted: true } s => Quote(s.Text, "string"),
        SymbolNode s => s.Text,
        SetRefNode r => "@" + r.Name,
        RangeNode r => Print(r.Low) + "-" + Print(r.High),
        PrefixNode p => Print(p.Inner) + "/" + p.PrefixLength,
        ConcatNode c => string.Join(" . ", c.Items.Select(Print)),
        SetNode s => "{ " + string.Join(", ", s.Elements.Select(Print)) + " }",
        ListNode l => string.Join(",", l.Items.Select(Print)),
        BinaryNode { Op: BinaryOp.Or } b => Print(b.Left) + " | " + Print(b.Right),
        BinaryNode { Op: BinaryOp.And } b => Print(b.Left) + " & " + Print(b.Right),
        BinaryNode { Op: BinaryOp.Xor } b => Print(b.Left) + " ^ " + Print(b.Right),
        CatchAllNode => "*",
        VerdictNode { Body: not null } => throw new ArgumentException("A verdict with a bound chain is not a value."),
        VerdictNode { Chain: null } v => v.Verdict,
        VerdictNode v => v.Verdict + " " + Name(v.Chain!),
        MappingNode m => Print(m.Key) + " : " + Print(m.Value),
        SetElementNode e => PrintElement(e),
        _ => throw new ArgumentException($"{node} is not a value."),
    };

    private static string PrintElement(SetElementNode e)
    {
        var sb = new StringBuilder(Print(e.Key));
        if (e.TimeoutMs is { } t) sb.Append(" timeout ").Append(NftHooks.FormatTime(t));
        if (e.ExpiresMs is { } x) sb.Append(" expires ").Append(NftHooks.FormatTime(x));
        if (e.Comment is not null) sb.Append(" comment ").Append(Quote(e.Comment, "comment"));
        // Per-element statements parsed from the element's own text as part of exactly one element.
        foreach (var s in e.Statements) sb.Append(' ').Append(s.Span.Text);
        return sb.ToString();
    }

    /// <summary>A name (chain, set) as nft writes it: bare when it is a plain identifier, else quoted.</summary>
    public static string Name(string name)
    {
        CheckString(name, "name");
        bool bare = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') &&
                    name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/');
        return bare ? name : "\"" + name + "\"";
    }

    /// <summary>A string value in quotes; refused when nft cannot write it.</summary>
    public static string Quote(string text, string what)
    {
        CheckString(text, what);
        return "\"" + text + "\"";
    }

    /// <summary>nft's strings run from `"` to the next `"` on one line, with no escapes: a `"`, a line break or a NUL
    /// cannot be written, and nft refuses text that tries.</summary>
    public static void CheckString(string text, string what)
    {
        int bad = text.IndexOfAny(new[] { '"', '\n', '\r', '\0' });
        if (bad < 0) return;
        string which = text[bad] switch { '"' => "a double quote (\")", '\0' => "a NUL character", _ => "a line break" };
        throw new ArgumentException($"The {what} '{Shown(text)}' contains {which} at position {bad + 1}, which nft cannot express in a string; it was refused.");
    }

    /// <summary>An element or rule comment: a string nft can write, at most 128 bytes.</summary>
    public static void CheckComment(string text)
    {
        CheckString(text, "comment");
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxCommentBytes)
            throw new ArgumentException($"The comment is {bytes} bytes long; nft allows at most {MaxCommentBytes} (comment too long, 128 characters maximum allowed).");
    }

    /// <summary>Control characters made visible so an error message shows the text that was refused.</summary>
    public static string Shown(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
            sb.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\0' => "\\0", '\t' => "\\t", _ => c.ToString() });
        return sb.ToString();
    }
}
