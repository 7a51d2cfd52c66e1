using System.Text;
using NftPS.Language;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Language.Printing;

internal sealed record RulesetPrintOptions
{
    /// <summary>Like nft -s: counter values, quota usage and element expiry left out.</summary>
    public bool Stateless { get; init; }
    /// <summary>Like nft -a: "# handle N" after tables, chains, sets, objects, flowtables and rules.</summary>
    public bool Handles { get; init; }
    /// <summary>For text that will be loaded again (Export-NftRuleset): a name, comment or rule that cannot be
    /// written so it reads back as itself is refused (<see cref="NftUnprintableException"/>) instead of shown escaped.</summary>
    public bool Strict { get; init; }
}

/// <summary>The ruleset text exactly as `nft list ruleset` (nftables 1.0.6) prints it (src/rule.c table_print and
/// friends): per table, objects, named sets and maps, flowtables, then chains, each in kernel order, blocks separated
/// by one blank line. Rule texts and element values come from the language layer.</summary>
internal static class RulesetPrinter
{
    public static string Print(NftRuleset ruleset, RulesetPrintOptions? options = null)
    {
        var sb = new StringBuilder();
        foreach (var table in ruleset.Tables) PrintTable(sb, ruleset, table, options ?? new RulesetPrintOptions());
        return sb.ToString();
    }

    public static string PrintTable(NftRuleset ruleset, NftTable table, RulesetPrintOptions? options = null)
    {
        var sb = new StringBuilder();
        PrintTable(sb, ruleset, table, options ?? new RulesetPrintOptions());
        return sb.ToString();
    }

    private static void PrintTable(StringBuilder sb, NftRuleset rs, NftTable table, RulesetPrintOptions o)
    {
        sb.Append("table ").Append(table.Family.ToKeyword()).Append(' ').Append(Name(table.Name, o, "table")).Append(" {");
        bool owned = (table.Flags & 2) != 0;
        if (o.Handles || owned) sb.Append(" #");
        if (o.Handles) sb.Append(" handle ").Append(table.Handle);
        if (owned) sb.Append(" progname ").Append(ProgramName(table.Owner));
        sb.Append('\n');
        string delim = "";
        if (table.Flags != 0)
        {
            var names = new List<string>();
            if ((table.Flags & 1) != 0) names.Add("dormant");
            if ((table.Flags & 2) != 0) names.Add("owner");
            if ((table.Flags & 4) != 0) names.Add("persist");
            sb.Append("\tflags ").Append(string.Join(',', names)).Append('\n');
            delim = "\n";
        }
        if (table.Comment is not null)
        {
            sb.Append("\tcomment ").Append(Text(table.Comment, o, "table " + table.Name)).Append('\n');
            delim = "\n";
        }

        bool Mine(NftObjectBase x, string t) => x.Family == table.Family && t == table.Name;
        foreach (var obj in rs.Objects)
        {
            if (!Mine(obj, obj.Table)) continue;
            sb.Append(delim);
            PrintObject(sb, obj, o);
            delim = "\n";
        }
        foreach (var set in rs.Sets)
        {
            if (!Mine(set, set.Table) || set.IsAnonymous) continue;
            sb.Append(delim);
            PrintSet(sb, rs, set, o);
            delim = "\n";
        }
        foreach (var ft in rs.Flowtables)
        {
            if (!Mine(ft, ft.Table)) continue;
            sb.Append(delim);
            PrintFlowtable(sb, ft, o);
            delim = "\n";
        }
        var rulesByChain = new Dictionary<string, List<NftRule>>();
        foreach (var rule in rs.Rules)
        {
            if (!Mine(rule, rule.Table)) continue;
            if (!rulesByChain.TryGetValue(rule.Chain, out var list)) rulesByChain[rule.Chain] = list = new List<NftRule>();
            list.Add(rule);
        }
        foreach (var chain in rs.Chains)
        {
            if (!Mine(chain, chain.Table) || chain.IsBinding) continue;
            sb.Append(delim);
            PrintChain(sb, rs, chain, rulesByChain.TryGetValue(chain.Name, out var rules) ? rules : null, o);
            delim = "\n";
        }
        sb.Append("}\n");
    }

    /// <summary>The owning process's name as nft's get_progname finds it: argv[0]'s basename from /proc, or "unknown".</summary>
    private static string ProgramName(uint? portId)
    {
        if (portId is not uint pid) return "unknown";
        try
        {
            string cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            string argv0 = cmdline.Split('\0')[0];
            return argv0.Length == 0 ? "unknown" : Path.GetFileName(argv0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    public static void PrintObject(StringBuilder sb, NftNamedObject obj, RulesetPrintOptions o)
    {
        sb.Append('\t').Append(obj.TypeKeyword ?? "unknown").Append(' ').Append(Name(obj.Name, o, obj.TypeKeyword ?? "object")).Append(" {");
        if (o.Handles) sb.Append(" # handle ").Append(obj.Handle);
        if (obj.Comment is not null) sb.Append("\n\t\tcomment ").Append(Text(obj.Comment, o, $"{obj.TypeKeyword} {obj.Name}"));
        sb.Append('\n');
        var lines = o.Stateless ? obj.StatelessBodyLines : obj.BodyLines;
        if (o.Strict) ExportCheck.ObjectLines(obj, lines);
        foreach (var line in lines) sb.Append("\t\t").Append(line).Append('\n');
        sb.Append("\t}\n");
    }

    public static void PrintSet(StringBuilder sb, NftRuleset rs, NftSet set, RulesetPrintOptions o)
    {
        sb.Append('\t').Append(set.IsMap || set.IsObjectMap ? "map" : "set").Append(' ').Append(Name(set.Name, o, "set")).Append(" {");
        if (o.Handles) sb.Append(" # handle ").Append(set.Handle);
        sb.Append('\n');
        sb.Append("\t\t").Append(SetTypePrinter.Print(set)).Append('\n');
        if (set.Policy == 1) sb.Append("\t\tpolicy memory\n");
        // nft 1.0.6 sends the element count as size for constant sets and does not print it back.
        if (set.Size is > 0 && !set.IsConstant) sb.Append("\t\tsize ").Append(set.Size.Value).Append('\n');

        const uint constant = 0x2, interval = 0x4, timeout = 0x10, eval = 0x20;
        uint shown = set.Flags;
        if (set.Timeout is { } t && t > TimeSpan.Zero) shown &= ~timeout;
        if ((shown & (constant | interval | timeout | eval)) != 0)
        {
            var names = new List<string>();
            if ((set.Flags & constant) != 0) names.Add("constant");
            if ((set.Flags & eval) != 0) names.Add("dynamic");
            if ((set.Flags & interval) != 0) names.Add("interval");
            if ((set.Flags & timeout) != 0) names.Add("timeout");
            sb.Append("\t\tflags ").Append(string.Join(',', names)).Append('\n');
        }
        var statements = StatementPrinter.SetStatements(set);
        if (statements.Count > 0) sb.Append("\t\t").Append(string.Join(' ', statements)).Append('\n');
        if (set.AutoMerge) sb.Append("\t\tauto-merge\n");
        if (set.Timeout is { } to && to > TimeSpan.Zero)
            sb.Append("\t\ttimeout ").Append(NftHooks.FormatTime((ulong)to.TotalMilliseconds)).Append('\n');
        if (set.GcInterval is { } gc && gc > TimeSpan.Zero)
            sb.Append("\t\tgc-interval ").Append(NftHooks.FormatTime((ulong)gc.TotalMilliseconds)).Append('\n');
        if (set.Comment is not null) sb.Append("\t\tcomment ").Append(Text(set.Comment, o, "set " + set.Name)).Append('\n');
        if (set.Elements.Count > 0)
        {
            if (o.Strict) ExportCheck.Elements(set);
            var texts = SetElementPrinter.FormatElements(set, rs, o.Stateless);
            if (texts.Count > 0)
            {
                string list = WrapElements(texts, set.KeyType);
                if (o.Strict) ExportCheck.ElementsText(set, list);
                sb.Append("\t\telements = ").Append(list).Append('\n');
            }
        }
        sb.Append("\t}\n");
    }

    /// <summary>"{ a, b,\n\t\t\t     c }": nft puts 5 numbers-like or 2 address-like elements on a line, and one
    /// element per line for other types (src/expression.c calculate_delim, as 1.0.6 behaves).</summary>
    public static string WrapElements(IReadOnlyList<string> texts, uint keyType)
    {
        int perLine = keyType switch
        {
            2 or 4 or 11 or 12 or 13 or 15 or 16 or 19 or 20 or 23 or 24 or 25 or 27 => 5,
            7 or 26 or 28 or 31 => 2,
            _ => 1,
        };
        var sb = new StringBuilder("{ ");
        int count = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            if (i > 0)
            {
                if (count < perLine) sb.Append(", ");
                else
                {
                    sb.Append(",\n\t\t\t     ");
                    count = 0;
                }
            }
            sb.Append(texts[i]);
            count++;
        }
        return sb.Append(" }").ToString();
    }

    public static void PrintFlowtable(StringBuilder sb, NftFlowtable ft, RulesetPrintOptions o)
    {
        sb.Append("\tflowtable ").Append(Name(ft.Name, o, "flowtable")).Append(" {");
        if (o.Handles) sb.Append(" # handle ").Append(ft.Handle);
        sb.Append('\n');
        sb.Append("\t\thook ").Append(ft.Hook).Append(" priority ").Append(ft.PriorityText).Append('\n');
        if (ft.Devices.Length > 0) sb.Append("\t\tdevices = { ").Append(string.Join(", ", ft.Devices.Select(d => Device(d, o)))).Append(" }\n");
        if ((ft.Flags & 1) != 0) sb.Append("\t\tflags offload\n");
        if ((ft.Flags & 2) != 0) sb.Append("\t\tcounter\n");
        sb.Append("\t}\n");
    }

    public static void PrintChain(StringBuilder sb, NftRuleset rs, NftChain chain, IReadOnlyList<NftRule>? rules, RulesetPrintOptions o)
    {
        sb.Append("\tchain ").Append(Name(chain.Name, o, "chain")).Append(" {");
        if (o.Handles) sb.Append(" # handle ").Append(chain.Handle);
        if (chain.Comment is not null) sb.Append("\n\t\tcomment ").Append(Text(chain.Comment, o, "chain " + chain.Name));
        sb.Append('\n');
        if (chain.IsBaseChain)
        {
            sb.Append("\t\ttype ").Append(chain.Type).Append(" hook ").Append(chain.Hook);
            if (chain.Devices.Length == 1) sb.Append(" device ").Append(Text(chain.Devices[0], o, "chain " + chain.Name, "device"));
            else if (chain.Devices.Length > 1) sb.Append(" devices = { ").Append(string.Join(", ", chain.Devices.Select(d => Device(d, o)))).Append(" }");
            sb.Append(" priority ").Append(chain.PriorityText).Append(';');
            if (chain.Policy is not null) sb.Append(" policy ").Append(chain.Policy).Append(';');
            if ((chain.Flags & 2) != 0) sb.Append(" flags offload;");
            sb.Append('\n');
        }
        if (rules is not null)
            foreach (var rule in rules) sb.Append("\t\t").Append(RuleLine(rule, rs, o)).Append('\n');
        sb.Append("\t}\n");
    }

    /// <summary>One rule as nft prints it inside its chain (without indentation): text, comment, handle.</summary>
    public static string RuleLine(NftRule rule, NftRuleset rs, RulesetPrintOptions o)
    {
        // The reader already described the rule (stateful); print again only for other options.
        string text = !o.Stateless && rule.Text.Length > 0 ? rule.Text : RuleTextPrinter.Print(rule, rs, o.Stateless);
        if (o.Strict) ExportCheck.RuleText(rule, text);
        if (rule.Comment is not null) text += " comment " + Text(rule.Comment, o, $"a rule of chain {rule.Chain}");
        if (o.Handles) text += " # handle " + rule.Handle;
        return text;
    }

    /// <summary>A name as nft text: bare when it is a plain identifier, quoted otherwise. A name no nft text can
    /// hold (another tool made it) is refused in strict mode and shown escaped otherwise — never printed raw, where
    /// a line break or quote in it would read back as more commands.</summary>
    private static string Name(string name, RulesetPrintOptions o, string kind)
    {
        if (NftIdentifier.IsBare(name)) return name;
        if (name.Length > 0 && NftIdentifier.IsQuotable(name)) return "\"" + name + "\"";
        if (o.Strict) throw new NftUnprintableException(kind + " name", name);
        return NftIdentifier.Display(name);
    }

    /// <summary>A comment or other string in double quotes, under the same rule as <see cref="Name"/>.</summary>
    private static string Text(string value, RulesetPrintOptions o, string owner, string kind = "comment")
    {
        if (NftIdentifier.IsQuotable(value)) return "\"" + value + "\"";
        if (o.Strict) throw new NftUnprintableException(kind, value, owner);
        return "\"" + NftIdentifier.Visible(value) + "\"";
    }

    /// <summary>A device in a `devices = { }` list: bare as nft prints it ("foo*" included) unless it holds a space or a
    /// sign that would end the list or the statement, then quoted.</summary>
    private static string Device(string device, RulesetPrintOptions o) =>
        device.Length > 0 && NftIdentifier.IsQuotable(device) && !device.Any(c => char.IsWhiteSpace(c) || "{},;#\"".Contains(c))
            ? device : Text(device, o, "a device list", "device");
}
