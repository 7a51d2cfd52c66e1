using System.Text;
using System.Text.RegularExpressions;

namespace NftPS.Tests.DesiredState;

/// <summary>An `nft list ruleset` listing split into tables, their blocks (chains, sets, maps, named objects,
/// flowtables) and the lines of each block, so the differential test can mutate a ruleset structurally (drop a rule,
/// move one, remove an element) and render it back to text nft loads. It reads nft 1.0.6's own layout (one tab per
/// level, `elements = { … }` wrapped over several lines) and nothing else: a text it cannot place is refused
/// (<see cref="FormatException"/>), and the caller skips that base.</summary>
internal sealed class ListingRuleset
{
    public List<ListingTable> Tables { get; } = new();

    public ListingTable? Find(string key) => Tables.FirstOrDefault(t => t.Key == key);

    public ListingRuleset Clone()
    {
        var r = new ListingRuleset();
        r.Tables.AddRange(Tables.Select(t => t.Clone()));
        return r;
    }

    public static ListingRuleset Parse(string listing)
    {
        var result = new ListingRuleset();
        var lines = listing.Replace("\r\n", "\n").Split('\n');
        ListingTable? table = null;
        ListingBlock? block = null;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Trim().Length == 0) continue;
            int depth = line.Length - line.TrimStart('\t').Length;
            string text = line.Trim();
            if (depth == 0)
            {
                if (text == "}" && table is not null && block is null) { result.Tables.Add(table); table = null; continue; }
                var m = Regex.Match(text, @"^table (\S+) (\S+) \{$");
                if (!m.Success || table is not null) throw new FormatException($"line {i + 1}: not a table: {line}");
                table = new ListingTable(m.Groups[1].Value, m.Groups[2].Value);
                continue;
            }
            if (table is null) throw new FormatException($"line {i + 1}: outside a table: {line}");
            if (depth == 1)
            {
                if (text == "}" && block is not null) { table.Blocks.Add(block); block = null; continue; }
                if (block is not null) throw new FormatException($"line {i + 1}: block not closed: {line}");
                if (text.EndsWith(" {") && !text.StartsWith("comment ")) block = ListingBlock.FromHeader(text[..^2]);
                else table.Attributes.Add(text);
                continue;
            }
            if (block is null) throw new FormatException($"line {i + 1}: content outside a block: {line}");
            // A logical line continues while its braces are open (nft wraps element lists).
            while (Balance(text) > 0 && i + 1 < lines.Length) text += " " + lines[++i].Trim();
            block.Lines.Add(text);
        }
        if (table is not null || block is not null) throw new FormatException("listing ends inside a block");
        return result;
    }

    /// <summary>Open braces minus closed ones, outside double quotes.</summary>
    internal static int Balance(string s)
    {
        int n = 0;
        bool quoted = false;
        foreach (char c in s)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == '{') n++;
            else if (!quoted && c == '}') n--;
        }
        return n;
    }

    public string Render()
    {
        var sb = new StringBuilder();
        foreach (var t in Tables) t.Render(sb);
        return sb.ToString();
    }

    /// <summary>The listing in a form two convergent rulesets share: counter/quota/expiry/last-used values stripped,
    /// tables and the blocks of a table in name order, elements sorted. nft prints tables, chains and sets in the order
    /// they were created, which a converge that keeps what exists cannot (and need not) reproduce; rule order, which is
    /// semantic, is kept.</summary>
    public static string Normalize(string listing)
    {
        var r = Parse(StripState(listing));
        foreach (var t in r.Tables)
        {
            t.Blocks.Sort((a, b) => string.CompareOrdinal(a.Header, b.Header));
            foreach (var b in t.Blocks)
                if (b.ElementsIndex is int ix) b.Lines[ix] = ListingBlock.ElementsLine(b.Elements!.Order(StringComparer.Ordinal));
        }
        r.Tables.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return r.Render();
    }

    /// <summary>Values the kernel keeps counting (and element expiry, which ticks) replaced by what declares them.</summary>
    public static string StripState(string listing)
    {
        string s = Regex.Replace(listing, @"counter packets \d+ bytes \d+", "counter");
        s = Regex.Replace(s, @"(?m)^(\t+)packets \d+ bytes \d+$", "$1packets 0 bytes 0");
        s = Regex.Replace(s, @" used \d+ (bytes|kbytes|mbytes)", "");
        s = Regex.Replace(s, @" expires [0-9dhms]+", "");
        s = Regex.Replace(s, @"last used \S+", "last");
        return s;
    }
}

internal sealed class ListingTable(string family, string name)
{
    public string Family { get; } = family;
    public string Name { get; set; } = name;
    public string Key => Family + " " + Name;
    /// <summary>Table-level lines: flags, comment.</summary>
    public List<string> Attributes { get; } = new();
    public List<ListingBlock> Blocks { get; } = new();

    public IEnumerable<ListingBlock> Chains => Blocks.Where(b => b.Kind == "chain");
    public IEnumerable<ListingBlock> Sets => Blocks.Where(b => b.Kind is "set" or "map");

    public ListingTable Clone()
    {
        var t = new ListingTable(Family, Name);
        t.Attributes.AddRange(Attributes);
        t.Blocks.AddRange(Blocks.Select(b => b.Clone()));
        return t;
    }

    public void Render(StringBuilder sb)
    {
        sb.Append("table ").Append(Family).Append(' ').Append(Name).Append(" {\n");
        foreach (var a in Attributes) sb.Append('\t').Append(a).Append('\n');
        foreach (var b in Blocks)
        {
            sb.Append('\t').Append(b.Header).Append(" {\n");
            foreach (var l in b.Lines) sb.Append("\t\t").Append(l).Append('\n');
            sb.Append("\t}\n");
        }
        sb.Append("}\n");
    }

    public string Render()
    {
        var sb = new StringBuilder();
        Render(sb);
        return sb.ToString();
    }
}

/// <summary>A chain, set, map, named object or flowtable: its header ("chain input", "ct helper ftp") and its lines.
/// For a chain the leading `type …`/`comment …`/`devices …` lines declare it and the rest are its rules; for a set
/// the one `elements = { … }` line holds its elements.</summary>
internal sealed class ListingBlock
{
    public string Kind { get; private init; } = "";
    public string Name { get; private init; } = "";
    public string Header => Kind + " " + Name;
    public List<string> Lines { get; private init; } = new();

    public static ListingBlock FromHeader(string header)
    {
        int space = header.LastIndexOf(' ');
        if (space <= 0) throw new FormatException("block header without a name: " + header);
        return new ListingBlock { Kind = header[..space], Name = header[(space + 1)..] };
    }

    public ListingBlock Clone() => new() { Kind = Kind, Name = Name, Lines = new List<string>(Lines) };

    /// <summary>Lines of a chain that declare it (hook, policy, comment), before its rules.</summary>
    public int DeclarationCount
    {
        get
        {
            if (Kind != "chain") return Lines.Count;
            int n = 0;
            while (n < Lines.Count && (Lines[n].StartsWith("type ") || Lines[n].StartsWith("comment \"") || Lines[n].StartsWith("devices ")))
                n++;
            return n;
        }
    }

    public IEnumerable<string> Declaration => Lines.Take(DeclarationCount).Where((l, i) => i != ElementsIndex);
    public List<string> Rules => Kind == "chain" ? Lines.Skip(DeclarationCount).ToList() : new List<string>();

    public void SetRules(IEnumerable<string> rules)
    {
        var head = Lines.Take(DeclarationCount).ToList();
        Lines.Clear();
        Lines.AddRange(head);
        Lines.AddRange(rules);
    }

    public int? ElementsIndex
    {
        get
        {
            int i = Lines.FindIndex(l => l.StartsWith("elements = {"));
            return i < 0 ? null : i;
        }
    }

    public List<string>? Elements => ElementsIndex is int i ? SplitElements(Lines[i]) : null;

    public void SetElements(IReadOnlyCollection<string> elements)
    {
        int? i = ElementsIndex;
        if (elements.Count == 0) { if (i is int r) Lines.RemoveAt(r); return; }
        if (i is int ix) Lines[ix] = ElementsLine(elements);
        else Lines.Add(ElementsLine(elements));
    }

    public static string ElementsLine(IEnumerable<string> elements) => "elements = { " + string.Join(", ", elements) + " }";

    /// <summary>The elements of an `elements = { a, b . c, d : e }` line, split at top-level commas.</summary>
    public static List<string> SplitElements(string line)
    {
        int open = line.IndexOf('{');
        int close = line.LastIndexOf('}');
        string inner = line[(open + 1)..close];
        var parts = new List<string>();
        int depth = 0;
        bool quoted = false;
        var cur = new StringBuilder();
        foreach (char c in inner)
        {
            if (c == '"') quoted = !quoted;
            if (!quoted && c is '{' or '(') depth++;
            if (!quoted && c is '}' or ')') depth--;
            if (!quoted && depth == 0 && c == ',')
            {
                parts.Add(cur.ToString().Trim());
                cur.Clear();
                continue;
            }
            cur.Append(c);
        }
        if (cur.ToString().Trim().Length > 0) parts.Add(cur.ToString().Trim());
        return parts;
    }

    /// <summary>A map element's key (before " : "); a set element is its own key.</summary>
    public static string ElementKey(string element)
    {
        int i = element.IndexOf(" : ", StringComparison.Ordinal);
        return i < 0 ? element : element[..i];
    }
}
