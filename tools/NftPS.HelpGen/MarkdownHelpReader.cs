using System.Text;
using System.Text.RegularExpressions;

namespace NftPS.HelpGen;

/// <summary>Reads the markdown PlatyPS's New-MarkdownHelp writes (schema 2.0.0) into a <see cref="CommandHelp"/>.
/// Only the structure PlatyPS itself relies on is interpreted: the "##" sections, their "###" subsections,
/// fenced blocks and the yaml block of each parameter. Anything else is prose, kept paragraph by paragraph.</summary>
public static partial class MarkdownHelpReader
{
    private static readonly string[] KnownSections =
        { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

    private static readonly string[] RequiredYamlKeys =
        { "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters" };

    public static CommandHelp Read(string path, List<HelpDiagnostic> diagnostics) =>
        Parse(File.ReadAllText(path), path, diagnostics);

    public static CommandHelp Parse(string text, string path, List<HelpDiagnostic> diagnostics)
    {
        var help = new CommandHelp { SourcePath = path };
        var lines = text.Replace("\r\n", "\n").Split('\n').Select((t, i) => new Line(i + 1, t)).ToList();
        void Error(int line, string message) => diagnostics.Add(new HelpDiagnostic(path, line, message));

        int start = ReadFrontMatter(lines, help, Error);
        var sections = Split(lines.Skip(start).ToList(), "## ", out var preamble);

        var title = preamble.FirstOrDefault(l => l.Text.StartsWith("# ", StringComparison.Ordinal));
        if (title is null) Error(1, "the file has no '# Cmdlet-Name' title");
        else help.Name = title.Text[2..].Trim();
        string fileName = Path.GetFileNameWithoutExtension(path);
        if (help.Name.Length > 0 && !string.Equals(help.Name, fileName, StringComparison.Ordinal))
            Error(title!.Number, $"the title '{help.Name}' differs from the file name '{fileName}'");

        foreach (var (heading, body) in sections)
        {
            string name = heading.Text[3..].Trim();
            if (!KnownSections.Contains(name, StringComparer.Ordinal))
            {
                Error(heading.Number, $"unknown section '## {name}' (PlatyPS knows {string.Join(", ", KnownSections)})");
                continue;
            }
            switch (name)
            {
                case "SYNOPSIS": help.Synopsis = string.Join(" ", Paragraphs(body)); break;
                case "SYNTAX": ReadSyntax(body, help, Error); break;
                case "DESCRIPTION": help.Description.AddRange(Paragraphs(body)); break;
                case "EXAMPLES": ReadExamples(body, help, Error); break;
                case "PARAMETERS": ReadParameters(body, help, Error); break;
                case "INPUTS": help.Inputs.AddRange(ReadTypes(body)); break;
                case "OUTPUTS": help.Outputs.AddRange(ReadTypes(body)); break;
                case "NOTES": help.Notes.AddRange(Paragraphs(body)); break;
                case "RELATED LINKS": ReadLinks(body, help); break;
            }
        }

        foreach (string required in new[] { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS" })
            if (!sections.Any(s => s.Heading.Text[3..].Trim() == required))
                Error(0, $"the '## {required}' section is missing");
        if (help.Synopsis.Length == 0) Error(0, "the synopsis is empty");
        foreach (var line in lines)
            if (line.Text.Contains("{{", StringComparison.Ordinal) && line.Text.Contains("}}", StringComparison.Ordinal))
                Error(line.Number, "a PlatyPS placeholder ({{ ... }}) is still there");
        return help;
    }

    private static int ReadFrontMatter(List<Line> lines, CommandHelp help, Action<int, string> error)
    {
        if (lines.Count == 0 || lines[0].Text.Trim() != "---")
        {
            error(1, "the file does not start with the '---' front matter PlatyPS writes");
            return 0;
        }
        for (int i = 1; i < lines.Count; i++)
        {
            if (lines[i].Text.Trim() == "---") return i + 1;
            int colon = lines[i].Text.IndexOf(':');
            if (colon > 0) help.FrontMatter[lines[i].Text[..colon].Trim()] = lines[i].Text[(colon + 1)..].Trim();
        }
        error(1, "the front matter is not closed with '---'");
        return lines.Count;
    }

    private static void ReadSyntax(List<Line> body, CommandHelp help, Action<int, string> error)
    {
        var subsections = Split(body, "### ", out var preamble);
        if (subsections.Count == 0)
        {
            var code = Blocks(preamble).FirstOrDefault(b => b.IsCode);
            if (code is null) error(preamble.FirstOrDefault()?.Number ?? 0, "the syntax section has no code block");
            else help.Syntax.Add(new SyntaxHelp(null, true, code.Text, SyntaxParameters(code.Text)));
            return;
        }
        foreach (var (heading, lines) in subsections)
        {
            string title = heading.Text[4..].Trim();
            bool isDefault = title.EndsWith("(Default)", StringComparison.Ordinal);
            if (isDefault) title = title[..^"(Default)".Length].Trim();
            var code = Blocks(lines).FirstOrDefault(b => b.IsCode);
            if (code is null)
            {
                error(heading.Number, $"parameter set '{title}' has no syntax code block");
                continue;
            }
            help.Syntax.Add(new SyntaxHelp(title, isDefault, code.Text, SyntaxParameters(code.Text)));
        }
    }

    /// <summary>The parameter names a syntax line shows, in order ("[-Name] &lt;String[]&gt;" gives Name).</summary>
    public static IReadOnlyList<string> SyntaxParameters(string syntax) =>
        SyntaxParameterPattern().Matches(syntax).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"(?<=[\s\[])-([A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex SyntaxParameterPattern();

    private static void ReadExamples(List<Line> body, CommandHelp help, Action<int, string> error)
    {
        foreach (var (heading, lines) in Split(body, "### ", out _))
        {
            // PowerShell blocks are the example's code; an ```output block is shown with the remarks, in place.
            var blocks = Blocks(lines);
            bool IsScript(Block b) => b.IsCode && (b.Language is "" or null || b.Language.Equals("powershell", StringComparison.OrdinalIgnoreCase));
            string code = string.Join("\n\n", blocks.Where(IsScript).Select(b => b.Text));
            if (code.Length == 0) error(heading.Number, $"example '{heading.Text[4..].Trim()}' has no ```powershell code block");
            help.Examples.Add(new ExampleHelp(heading.Text[4..].Trim(), code, Paragraphs(blocks.Where(b => !IsScript(b)))));
        }
    }

    private static void ReadParameters(List<Line> body, CommandHelp help, Action<int, string> error)
    {
        foreach (var (heading, lines) in Split(body, "### ", out _))
        {
            string name = heading.Text[4..].Trim();
            if (name == "CommonParameters") continue;
            if (!name.StartsWith('-'))
            {
                error(heading.Number, $"parameter heading '{name}' does not start with '-'");
                continue;
            }
            var parameter = new ParameterHelp { Name = name[1..] };
            var blocks = Blocks(lines);
            parameter.Description.AddRange(Paragraphs(blocks.Where(b => !b.IsCode)));
            foreach (var yaml in blocks.Where(b => b.IsCode))
            {
                if (!string.Equals(yaml.Language, "yaml", StringComparison.OrdinalIgnoreCase))
                {
                    error(yaml.Line, $"parameter -{parameter.Name}: expected a ```yaml block");
                    continue;
                }
                parameter.Blocks.Add(ReadYaml(yaml, parameter.Name, error));
            }
            if (parameter.Blocks.Count == 0) error(heading.Number, $"parameter -{parameter.Name} has no yaml block");
            if (parameter.Description.Count == 0) error(heading.Number, $"parameter -{parameter.Name} has no description");
            help.Parameters.Add(parameter);
        }
    }

    private static ParameterBlock ReadYaml(Block yaml, string parameter, Action<int, string> error)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string raw in yaml.Text.Split('\n'))
        {
            int colon = raw.IndexOf(':');
            if (colon > 0) values[raw[..colon].Trim()] = raw[(colon + 1)..].Trim();
        }
        foreach (string key in RequiredYamlKeys)
            if (!values.ContainsKey(key)) error(yaml.Line, $"parameter -{parameter}: the yaml block has no '{key}:'");
        string Get(string key) => values.TryGetValue(key, out var v) ? v : "";
        static IReadOnlyList<string> List(string text) =>
            text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Bool(string key)
        {
            string v = Get(key);
            if (v.Equals("True", StringComparison.OrdinalIgnoreCase)) return true;
            if (!v.Equals("False", StringComparison.OrdinalIgnoreCase) && values.ContainsKey(key))
                error(yaml.Line, $"parameter -{parameter}: '{key}: {v}' is not True or False");
            return false;
        }
        var sets = List(Get("Parameter Sets"));
        return new ParameterBlock(
            Get("Type"),
            sets.Count == 0 ? new[] { "(All)" } : sets,
            List(Get("Aliases")),
            List(Get("Accepted values")),
            Bool("Required"),
            Get("Position") is { Length: > 0 } p ? p : "Named",
            Get("Default value") is { Length: > 0 } d ? d : "None",
            Get("Accept pipeline input") is { Length: > 0 } pi ? pi : "False",
            Bool("Accept wildcard characters"));
    }

    private static IEnumerable<TypeHelp> ReadTypes(List<Line> body)
    {
        foreach (var (heading, lines) in Split(body, "### ", out _))
            yield return new TypeHelp(heading.Text[4..].Trim(), Paragraphs(Blocks(lines)));
    }

    private static void ReadLinks(List<Line> body, CommandHelp help)
    {
        foreach (var line in body)
        {
            string t = line.Text.Trim();
            if (t.Length == 0) continue;
            var m = LinkPattern().Match(t);
            if (m.Success) help.RelatedLinks.Add(new LinkHelp(m.Groups[1].Value, m.Groups[2].Value));
            else help.RelatedLinks.Add(new LinkHelp(t, ""));
        }
    }

    [GeneratedRegex(@"^\[([^\]]+)\]\(([^)]*)\)")]
    private static partial Regex LinkPattern();

    // --- structure ---------------------------------------------------------------------------------------

    private sealed record Line(int Number, string Text);

    private sealed record Block(int Line, bool IsCode, string? Language, string Text, bool IsListItem = false);

    /// <summary>Splits at headings starting with <paramref name="marker"/> ("## " or "### ") outside code fences.</summary>
    private static List<(Line Heading, List<Line> Body)> Split(List<Line> lines, string marker, out List<Line> preamble)
    {
        var result = new List<(Line, List<Line>)>();
        preamble = new List<Line>();
        var current = preamble;
        bool inFence = false;
        foreach (var line in lines)
        {
            if (line.Text.TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
            if (!inFence && line.Text.StartsWith(marker, StringComparison.Ordinal))
            {
                current = new List<Line>();
                result.Add((line, current));
                continue;
            }
            current.Add(line);
        }
        return result;
    }

    /// <summary>Fenced code blocks, list items and paragraphs (lines up to a blank line, joined).</summary>
    private static List<Block> Blocks(List<Line> lines)
    {
        var blocks = new List<Block>();
        var text = new StringBuilder();
        int start = 0;
        bool listItem = false;
        void Flush()
        {
            if (text.Length > 0) blocks.Add(new Block(start, false, null, text.ToString(), listItem));
            text.Clear();
            listItem = false;
        }
        for (int i = 0; i < lines.Count; i++)
        {
            string t = lines[i].Text;
            string trimmed = t.Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                Flush();
                string language = trimmed[3..].Trim();
                var code = new List<string>();
                int fenceLine = lines[i].Number;
                for (i++; i < lines.Count && !lines[i].Text.Trim().StartsWith("```", StringComparison.Ordinal); i++)
                    code.Add(lines[i].Text);
                blocks.Add(new Block(fenceLine, true, language, string.Join("\n", code).TrimEnd()));
                continue;
            }
            if (trimmed.Length == 0)
            {
                Flush();
                continue;
            }
            bool startsItem = ListItemPattern().IsMatch(t);
            if (startsItem) Flush();
            if (text.Length == 0)
            {
                start = lines[i].Number;
                listItem = startsItem;
            }
            else text.Append(' ');
            text.Append(trimmed);
        }
        Flush();
        return blocks;
    }

    [GeneratedRegex(@"^\s{0,3}([-*]|\d+\.)\s+")]
    private static partial Regex ListItemPattern();

    private static List<string> Paragraphs(List<Line> lines) => Paragraphs(Blocks(lines));

    private static List<string> Paragraphs(IEnumerable<Block> blocks) => blocks.Select(b => b.Text).ToList();
}
