using System.Text;

namespace NftPS.HelpGen;

/// <summary>Turns an about_*.md topic into the about_*.help.txt Get-Help shows: "## HEADING" sections become
/// upper-case headings with the text indented under them, as PlatyPS's New-ExternalHelp writes them.</summary>
public static class AboutTopicWriter
{
    public static string Write(string markdown, string topicName)
    {
        var text = new StringBuilder();
        text.Append("TOPIC\n    ").Append(topicName.ToLowerInvariant()).Append("\n\n");
        bool inFence = false, pendingBlank = false;
        foreach (string raw in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            string line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (!inFence && line.StartsWith("# ", StringComparison.Ordinal)) continue;
            if (line.Length == 0)
            {
                pendingBlank = text.Length > 0;
                continue;
            }
            if (pendingBlank) text.Append('\n');
            pendingBlank = false;
            if (!inFence && line.StartsWith("## ", StringComparison.Ordinal)) text.Append(line[3..].Trim().ToUpperInvariant());
            else if (!inFence && line.StartsWith("### ", StringComparison.Ordinal)) text.Append("  ").Append(line[4..].Trim());
            else text.Append(inFence ? "        " : "    ").Append(line);
            text.Append('\n');
        }
        return text.ToString();
    }
}
