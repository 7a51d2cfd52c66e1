using System.Text;

namespace NftPS.Language.Syntax;

/// <summary>An error in nft text, formatted as nft prints it: location, the source line, a caret line under the
/// offending part, and `Error: reason` (nft's erec_print).</summary>
public abstract class NftLanguageException : Exception
{
    private protected NftLanguageException(SourceSpan span, string reason)
        : base(Format(span, reason))
    {
        Span = span;
        Reason = reason;
    }

    internal SourceSpan Span { get; }
    public string Reason { get; }
    public string File => Span.Source is null ? "" : Span.File;
    public int Line => Span.Source is null ? 0 : Span.Line;
    public int Column => Span.Source is null ? 0 : Span.Column;
    public int Length => Span.Length;

    /// <summary>nft's layout: "FILE:LINE:FIRST-LAST: Error: reason", the line, then carets.</summary>
    internal static string Format(SourceSpan span, string reason) => Format(span, reason, "Error");

    /// <summary>The same layout with another severity word ("Warning").</summary>
    internal static string Format(SourceSpan span, string reason, string severity)
    {
        // A node built without a position still gets its message (never a NullReferenceException instead).
        if (span.Source is null) return $"{severity}: {reason}";
        var (line, col) = span.Source.LineColumn(Math.Min(span.Offset, span.Source.Text.Length));
        int len = Math.Max(span.Length, 1);
        string lineText = span.Source.Text.Length == 0 ? "" : span.Source.LineText(line);
        // A span running past its line (multi-line nodes) is cut at the line end, as nft does.
        int lastCol = Math.Min(col + len - 1, Math.Max(lineText.Length, col));
        var sb = new StringBuilder();
        // Command-line input has no location prefix in nft's output; files do.
        if (span.Source.Name != SourceText.CommandLine)
            sb.Append(span.Source.Name).Append(':').Append(line).Append(':').Append(col).Append('-').Append(lastCol).Append(": ");
        sb.Append(severity).Append(": ").Append(reason).Append('\n');
        // The location keeps the real columns; the quoted line is cut to a window around the carets when it is
        // huge (a 50 MB token, 100,000 brackets), so an error never floods the console with the whole input.
        var (shown, from, to) = Window(lineText, col, lastCol);
        sb.Append(shown).Append('\n');
        for (int i = from; i < col; i++) sb.Append(i - 1 < lineText.Length && lineText[i - 1] == '\t' ? '\t' : ' ');
        sb.Append('^', Math.Min(lastCol, to) - col + 1);
        return sb.ToString();
    }

    private const int MaxQuotedLine = 1024, QuoteContext = 120;

    /// <summary>The part of the line quoted under the error: all of it when short, else up to
    /// <see cref="QuoteContext"/> characters either side of the carets (those capped too) with "…" where cut.
    /// <c>from</c>/<c>to</c> are the 1-based columns the quoted text starts and ends at ("…" not counted at the start:
    /// the caret line is padded for it).</summary>
    private static (string Shown, int From, int To) Window(string line, int col, int lastCol)
    {
        if (line.Length <= MaxQuotedLine) return (line, 1, int.MaxValue);
        int from = Math.Max(1, col - QuoteContext);
        int to = Math.Min(line.Length, Math.Min(lastCol, col + QuoteContext) + QuoteContext);
        string shown = line.Substring(from - 1, to - from + 1);
        if (from > 1) { shown = "…" + shown; from--; }
        if (to < line.Length) shown += "…";
        return (shown, from, Math.Min(lastCol, col + QuoteContext));
    }
}

/// <summary>The text does not follow the grammar.</summary>
public sealed class NftSyntaxException : NftLanguageException
{
    internal NftSyntaxException(SourceSpan span, string reason) : base(span, reason) { }
}

/// <summary>The text parses but means nothing valid (unknown symbol, value out of range, type mismatch...).</summary>
public sealed class NftEvaluationException : NftLanguageException
{
    internal NftEvaluationException(SourceSpan span, string reason) : base(span, reason) { }
}
