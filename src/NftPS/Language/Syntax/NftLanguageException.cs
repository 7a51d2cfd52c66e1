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
        sb.Append(lineText).Append('\n');
        for (int i = 1; i < col; i++) sb.Append(i - 1 < lineText.Length && lineText[i - 1] == '\t' ? '\t' : ' ');
        sb.Append('^', lastCol - col + 1);
        return sb.ToString();
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
