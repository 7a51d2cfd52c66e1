namespace NftPS.Language.Syntax;

/// <summary>The text of one input (a file, a command line, a rule string) with its name, for positions and carets.</summary>
internal sealed class SourceText
{
    private int[]? _lineStarts;

    public const string CommandLine = "<cmdline>";

    public SourceText(string text, string name = CommandLine)
    {
        Text = text;
        Name = name;
    }

    public string Name { get; }
    public string Text { get; }

    private int[] LineStarts => _lineStarts ??= ComputeLineStarts(Text);

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        return starts.ToArray();
    }

    /// <summary>1-based line and column of an offset.</summary>
    public (int Line, int Column) LineColumn(int offset)
    {
        int[] starts = LineStarts;
        int idx = Array.BinarySearch(starts, offset);
        if (idx < 0) idx = ~idx - 1;
        return (idx + 1, offset - starts[idx] + 1);
    }

    public string LineText(int line)
    {
        int[] starts = LineStarts;
        int start = starts[line - 1];
        int end = line < starts.Length ? starts[line] - 1 : Text.Length;
        return Text[start..end].TrimEnd('\r');
    }
}

/// <summary>Where a token or node came from: file, 1-based line and column, offset and length in the source.</summary>
internal readonly record struct SourceSpan(SourceText Source, int Offset, int Length)
{
    public string File => Source.Name;
    public int Line => Source.LineColumn(Offset).Line;
    public int Column => Source.LineColumn(Offset).Column;
    public int End => Offset + Length;

    /// <summary>The smallest span covering both (same source).</summary>
    public SourceSpan To(SourceSpan other) =>
        new(Source, Math.Min(Offset, other.Offset), Math.Max(End, other.End) - Math.Min(Offset, other.Offset));

    public string Text => Source.Text.Substring(Offset, Math.Min(Length, Source.Text.Length - Offset));

    public override string ToString() => $"{File}:{Line}:{Column}-{Column + Math.Max(Length, 1) - 1}";
}
