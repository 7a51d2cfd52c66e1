using System.Text;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Compat;

/// <summary>Runs a tool's command lines inside a namespace and compares listings line by line.</summary>
public static class CompatShapes
{
    public static void Build(string netns, IEnumerable<string> commands)
    {
        foreach (var line in commands)
        {
            var words = Split(line);
            ProcessRunner.Run("ip", new[] { "netns", "exec", netns }.Concat(words)).EnsureSuccess(line);
        }
    }

    /// <summary>Shell-like split: spaces separate words, double quotes group.</summary>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in line)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted)
            {
                if (any) words.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else { current.Append(c); any = true; }
        }
        if (any) words.Add(current.ToString());
        return words;
    }

    public static (int Equal, int Total, string? First) CompareLines(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        int equal = 0;
        string? first = null;
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string x = i < e.Length ? e[i] : "<end>", y = i < a.Length ? a[i] : "<end>";
            if (x == y) equal++;
            else first ??= $"line {i + 1}: nft `{x.Replace("\t", "\\t")}` ours `{y.Replace("\t", "\\t")}`";
        }
        return (equal, e.Length, first);
    }
}
