using System.Globalization;
using System.Text;

namespace NftPS.Language.Metrics;

/// <summary>The Prometheus text exposition format (version 0.0.4), as node_exporter's textfile collector reads it:
/// one HELP and TYPE line per metric family, then its samples. Label values are escaped (backslash, double quote,
/// line feed), so no comment or name can add a label or a line.</summary>
internal sealed class PrometheusText
{
    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private readonly HashSet<string> _series = new(StringComparer.Ordinal);

    /// <summary>Starts a metric family; each name once.</summary>
    public void Family(string name, string type, string help)
    {
        if (!_families.Add(name)) throw new InvalidOperationException($"Metric family {name} was started twice.");
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>One sample. A series written twice is a bug in the caller (Prometheus would refuse the file).</summary>
    public void Sample(string name, IReadOnlyList<(string Name, string Value)> labels, ulong value)
    {
        var line = new StringBuilder(name);
        if (labels.Count > 0)
        {
            line.Append('{');
            for (int i = 0; i < labels.Count; i++)
            {
                if (i > 0) line.Append(',');
                line.Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }
            line.Append('}');
        }
        string series = line.ToString();
        if (!_series.Add(series)) throw new InvalidOperationException($"Duplicate series {series}.");
        _text.Append(series).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public override string ToString() => _text.ToString();

    internal static string EscapeLabel(string value)
    {
        var b = new StringBuilder(value.Length);
        foreach (char c in value)
            b.Append(c switch { '\\' => "\\\\", '"' => "\\\"", '\n' => "\\n", _ => c.ToString() });
        return b.ToString();
    }

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n");
}
