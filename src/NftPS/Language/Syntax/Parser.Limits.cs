using System.Runtime.CompilerServices;

namespace NftPS.Language.Syntax;

/// <summary>Bounds on how deep the text may nest. Parentheses, braces, variable expansions and binary operators all
/// deepen the recursion of this parser and of every stage after it (evaluator, linearizer, printers), so each counts
/// one level and the whole is capped: deep input gets an error saying so instead of overflowing the stack and killing
/// the process. nft's bison parser gives up near 10,000 levels ("memory exhausted") and segfaults on deep defines;
/// real rulesets nest a handful of levels, so the cap is far lower and holds on a 1 MiB thread stack.</summary>
internal sealed partial class Parser
{
    internal const int MaxNesting = 256;

    private int _nesting;

    /// <summary>One level deeper at <paramref name="at"/>; the caller restores <see cref="_nesting"/> when the level
    /// ends (a failed parse abandons the parser, so only the one backtracking site must restore it itself).</summary>
    private void Deeper(Token at)
    {
        if (++_nesting > MaxNesting || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new NftSyntaxException(at.Span, $"too many levels of nesting: at most {MaxNesting} parentheses, braces, " +
                "variable expansions and operators may nest");
    }

    /// <summary>The definition a `$name` stands for: the one bound when its enclosing definition was made, else the one
    /// in scope now.</summary>
    internal Definition Resolve(Token variable) =>
        variable.Bound ?? _defs.Lookup(variable.Text) ?? throw new NftSyntaxException(variable.Span, $"unknown identifier '{variable.Text}'");

    /// <summary>A number that must fit its field: larger is nft's "value too large", never a silent wrap.</summary>
    internal ulong ExpectNumberAtMost(ulong max)
    {
        var t = ExpectWord();
        ulong v = ParseUnsigned(t);
        return v <= max ? v : throw new NftEvaluationException(t.Span, "value too large");
    }

    /// <summary>nft's NFTNL_UDATA_COMMENT_MAXLEN: longer comments are refused while parsing, with nft's message.</summary>
    internal const int MaxCommentBytes = 128;

    /// <summary>The string after `comment`, refused when longer than nft allows (a comment has to fit its user-data
    /// record; a longer one would otherwise fail deep in the batch writer).</summary>
    internal string ExpectComment()
    {
        var at = Cur;
        string comment = ExpectString();
        if (System.Text.Encoding.UTF8.GetByteCount(comment) > MaxCommentBytes)
            throw new NftEvaluationException(at.Span,
                $"comment too long, {MaxCommentBytes} characters maximum allowed (a comment holds at most {MaxCommentBytes} bytes)");
        return comment;
    }
}
