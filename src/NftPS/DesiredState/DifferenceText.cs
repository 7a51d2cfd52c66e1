using System.Text;
using NftPS.Language.Printing;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.DesiredState;

/// <summary>Before/after texts of differences, as nft writes the objects. Made only for differences (never for the
/// objects that are equal); a printer that cannot show an object gives its short name rather than failing the
/// comparison.</summary>
internal static class DifferenceText
{
    public static string Rule(NftRule rule, NftRuleset ruleset)
    {
        string text;
        try { text = rule.Text.Length > 0 ? rule.Text : RuleTextPrinter.Print(rule, ruleset, stateless: false); }
        catch (Exception e) when (e is not OutOfMemoryException) { text = "(rule handle " + rule.Handle + ")"; }
        return WithComment(text, rule.Comment);
    }

    public static string WithComment(string text, string? comment) =>
        comment is null ? text : text + " comment " + Quote(comment);

    private static string Quote(string s) => "\"" + NftIdentifier.Visible(s) + "\"";

    public static string Table(NftTable t)
    {
        var parts = new List<string>();
        if ((t.Flags & 1) != 0) parts.Add("flags dormant;");
        if (t.Comment is not null) parts.Add("comment " + Quote(t.Comment) + ";");
        return $"table {t.Family.ToKeyword()} {NftIdentifier.Display(t.Name)}" + (parts.Count == 0 ? "" : " { " + string.Join(" ", parts) + " }");
    }

    public static string Chain(NftChain c)
    {
        var parts = new List<string>();
        if (c.HookNumber is { } h)
        {
            string dev = c.Devices.Length == 0 ? "" : c.Devices.Length == 1 ? $" device \"{c.Devices[0]}\""
                : " devices = { " + string.Join(", ", c.Devices.Select(d => "\"" + d + "\"")) + " }";
            string prio = c.PriorityText ?? NftHooks.FormatPriority(c.Family, h, c.Priority ?? 0);
            parts.Add($"type {c.Type ?? "filter"} hook {NftHooks.HookName(c.Family, h)}{dev} priority {prio}; policy {c.Policy ?? "accept"};");
        }
        if (c.Comment is not null) parts.Add("comment " + Quote(c.Comment) + ";");
        return $"chain {NftIdentifier.Display(c.Name)}" + (parts.Count == 0 ? "" : " { " + string.Join(" ", parts) + " }");
    }

    /// <summary>The set's declaration without its elements (which may be 100,000).</summary>
    public static string Set(NftSet set, NftRuleset ruleset)
    {
        var saved = set.Elements;
        try
        {
            set.Elements = new List<NftSetElement>();
            SetTypePrinter.Describe(set);
            var sb = new StringBuilder();
            RulesetPrinter.PrintSet(sb, ruleset, set, new RulesetPrintOptions { Stateless = true });
            return Collapse(sb.ToString());
        }
        catch (Exception e) when (e is not OutOfMemoryException) { return set.ToString(); }
        finally { set.Elements = saved; }
    }

    public static string Object(NftNamedObject obj)
    {
        try
        {
            var sb = new StringBuilder();
            RulesetPrinter.PrintObject(sb, obj, new RulesetPrintOptions());
            string text = Collapse(sb.ToString());
            return text.Length > 0 ? text : obj.ToString();
        }
        catch (Exception e) when (e is not OutOfMemoryException) { return obj.ToString(); }
    }

    public static string Flowtable(NftFlowtable f) =>
        $"flowtable {NftIdentifier.Display(f.Name)} {{ hook {f.Hook} priority {f.Priority}; devices = {{ {string.Join(", ", f.Devices)} }}; }}";

    /// <summary>Elements as nft lists them, in a set shaped like <paramref name="like"/>.</summary>
    public static string Elements(NftSet like, IEnumerable<NftSetElement> elements, NftRuleset ruleset)
    {
        var probe = ShapedLike(like, elements);
        try { return "{ " + string.Join(", ", SetElementPrinter.FormatElements(probe, ruleset, stateless: true)) + " }"; }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return "{ " + string.Join(", ", probe.Elements.Select(x => "0x" + Convert.ToHexString(x.Key ?? Array.Empty<byte>()).ToLowerInvariant())) + " }";
        }
    }

    public static NftSet ShapedLike(NftSet like, IEnumerable<NftSetElement> elements) => new()
    {
        Family = like.Family, Table = like.Table, Name = like.Name, Flags = like.Flags, KeyType = like.KeyType,
        KeyLength = like.KeyLength, DataType = like.DataType, DataLength = like.DataLength, ObjectType = like.ObjectType,
        KeyByteOrder = like.KeyByteOrder, DataByteOrder = like.DataByteOrder, KeyTypeof = like.KeyTypeof,
        DataTypeof = like.DataTypeof, ConcatFieldLengths = like.ConcatFieldLengths, ElementsLoaded = true,
        Elements = elements.ToList(),
    };

    /// <summary>The printer's lines on one line, as nft would take them: a newline ended a block item, so it becomes
    /// `;` (nft refuses `set s { type ipv4_addr }`), except after `{`, after `,` inside a wrapped element list, and
    /// after the last line.</summary>
    private static string Collapse(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var sb = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(lines[i]);
            if (i < lines.Count - 1 && !lines[i].EndsWith('{') && !lines[i].EndsWith(',') && !lines[i].EndsWith(';')) sb.Append(';');
        }
        return sb.ToString();
    }
}
