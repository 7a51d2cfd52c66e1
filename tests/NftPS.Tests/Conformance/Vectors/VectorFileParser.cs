namespace NftPS.Tests.Conformance.Vectors;

/// <summary>Reads upstream's `.t` rule-vector files (format: shared/conformance/README.md section 1).</summary>
public static class VectorFileParser
{
    public static VectorFile ParseFile(string path, string name) => Parse(File.ReadAllText(path), name, path);

    public static VectorFile Parse(string text, string name = "<text>", string path = "")
    {
        var lines = new List<VectorLine>();
        var warnings = new List<string>();
        var templates = new Dictionary<string, ChainTemplate>(StringComparer.Ordinal);
        string[] raw = text.Split('\n');
        for (int i = 0; i < raw.Length; i++)
        {
            int lineNo = i + 1;
            string line = raw[i].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line) || line[0] == '#') continue;
            try
            {
                switch (line[0])
                {
                    case ':':
                        var chain = ParseChainTemplate(line, lineNo);
                        templates[chain.Name] = chain;
                        lines.Add(chain);
                        break;
                    case '*':
                        lines.Add(ParseTable(line, lineNo, templates));
                        break;
                    case '!':
                        lines.Add(ParseSet(line, lineNo));
                        break;
                    case '?':
                        lines.Add(ParseElements(line, lineNo));
                        break;
                    case '%':
                        lines.Add(ParseObject(line, lineNo));
                        break;
                    default:
                        if (ParseRule(line, lineNo) is { } rule) lines.Add(rule);
                        else warnings.Add($"{name}:{lineNo}: malformed rule line skipped: {line}");
                        break;
                }
            }
            catch (FormatException e)
            {
                warnings.Add($"{name}:{lineNo}: {e.Message}");
            }
        }
        return new VectorFile(name, path, lines, warnings);
    }

    public static ChainTemplate ParseChainTemplate(string line, int lineNo)
    {
        string[] f = line.TrimEnd()[1..].Split(';', 2);
        if (f.Length != 2) throw new FormatException("chain template needs NAME;SPEC: " + line);
        return new ChainTemplate(lineNo, f[0], f[1]);
    }

    public static TableDeclaration ParseTable(string line, int lineNo, IReadOnlyDictionary<string, ChainTemplate> templates)
    {
        string[] f = line.TrimEnd()[1..].Split(';');
        if (f.Length != 3) throw new FormatException("table line needs FAMILY;TABLE;CHAINS: " + line);
        var chains = new List<ChainTemplate>();
        foreach (string c in f[2].Split(','))
        {
            if (!templates.TryGetValue(c, out var t)) throw new FormatException($"chain {c} has no template declared before line {lineNo}");
            chains.Add(t);
        }
        return new TableDeclaration(lineNo, f[0], f[1], chains);
    }

    private static Expectation ParseExpectation(string s, string line) => s.Trim() switch
    {
        "ok" => Expectation.Ok,
        "fail" => Expectation.Fail,
        _ => throw new FormatException("status must be ok or fail: " + line),
    };

    public static SetDirective ParseSet(string line, int lineNo)
    {
        string[] f = line.TrimEnd()[1..].Split(';');
        if (f.Length != 2) throw new FormatException("set line needs DEFINITION;STATUS: " + line);
        var tokens = f[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (tokens.Count < 3 || (tokens[1] != "type" && tokens[1] != "typeof"))
            throw new FormatException("set line needs NAME type|typeof ...: " + line);
        string name = tokens[0];
        int tail = tokens.FindIndex(2, t => t is "timeout" or "flags");
        var typeTokens = tokens.GetRange(1, (tail < 0 ? tokens.Count : tail) - 1);
        string? timeout = null, flags = null;
        if (tail >= 0)
        {
            for (int i = tail; i < tokens.Count; i += 2)
            {
                if (i + 1 >= tokens.Count) throw new FormatException($"{tokens[i]} needs a value: " + line);
                if (tokens[i] == "timeout") timeout = tokens[i + 1];
                else if (tokens[i] == "flags") flags = tokens[i + 1];
                else throw new FormatException("unknown set option " + tokens[i] + ": " + line);
            }
        }
        int colon = typeTokens.IndexOf(":");
        string key = string.Join(' ', colon < 0 ? typeTokens : typeTokens.Take(colon));
        string? data = colon < 0 ? null : string.Join(' ', typeTokens.Skip(colon + 1));
        return new SetDirective(lineNo, name, key, data, timeout, flags, ParseExpectation(f[1], line));
    }

    public static ElementDirective ParseElements(string line, int lineNo)
    {
        string[] f = line.TrimEnd()[1..].Split(';');
        if (f.Length != 2) throw new FormatException("element line needs SET ELEMENTS;STATUS: " + line);
        int space = f[0].IndexOf(' ');
        if (space < 0) throw new FormatException("element line needs elements: " + line);
        return new ElementDirective(lineNo, f[0][..space], f[0][(space + 1)..].Trim(), ParseExpectation(f[1], line));
    }

    public static ObjectDirective ParseObject(string line, int lineNo)
    {
        string body, status;
        string trimmed = line.TrimEnd();
        int brace = trimmed.LastIndexOf('}');
        if (brace < 0)
        {
            string[] f = trimmed[1..].Split(';');
            if (f.Length != 2) throw new FormatException("object line needs DEFINITION;STATUS: " + line);
            (body, status) = (f[0], f[1]);
        }
        else
        {
            body = trimmed[1..(brace + 1)];
            status = trimmed[(brace + 1)..].TrimStart(';');
        }
        var tokens = body.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (tokens.Count < 3 || tokens[1] != "type") throw new FormatException("object line needs NAME type KIND: " + line);
        string kind = tokens[2];
        int specStart = 3;
        if (kind == "ct" && tokens.Count > 3 && tokens[3] is "helper" or "timeout" or "expectation")
        {
            kind = "ct " + tokens[3];
            specStart = 4;
        }
        return new ObjectDirective(lineNo, tokens[0], kind, string.Join(' ', tokens.Skip(specStart)), ParseExpectation(status, line));
    }

    /// <summary>A rule line, or null when malformed (upstream skips those with a warning).</summary>
    public static RuleVector? ParseRule(string line, int lineNo)
    {
        string[] f = line.Split(';');
        if (f.Length is < 2 or > 3) return null;
        string status = f[1].TrimEnd();
        if (status is not ("ok" or "fail")) return null;
        bool disabled = line[0] == '-';
        string rule = disabled ? f[0].TrimEnd()[1..].Trim() : f[0];
        string? canonical = f.Length == 3 ? f[2].TrimEnd() : null;
        return new RuleVector(lineNo, rule, status == "ok" ? Expectation.Ok : Expectation.Fail, canonical, disabled);
    }
}
