using System.Text.RegularExpressions;
using NftPS.Language;
using NftPS.Language.Printing;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Script;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets.Changes;

/// <summary>The seam between the change cmdlets and the compiler (Language/): rule text and nft commands in,
/// batch operations out. Kept in one place so the cmdlets never reach into the compiler's internals.</summary>
internal static class LanguageAdapter
{
    /// <summary>What the compiler needs to know of a set that exists in the kernel.</summary>
    public static SetDescriptor Describe(NftSet set)
    {
        string key = SetTypePrinter.KeyText(set);
        string? data = SetTypePrinter.DataText(set);
        SetDescriptor d = key.StartsWith("typeof ", StringComparison.Ordinal)
            ? SetDeclarations.FromTypeof(set.Name, key["typeof ".Length..], data is null ? null : StripTypeof(data), set.Family, set.IsInterval)
            : SetDeclarations.FromType(set.Name, key["type ".Length..], data, set.IsInterval);
        return d with { HasTimeout = set.HasTimeout, IsDynamic = set.IsDynamic, AutoMerge = set.AutoMerge };
    }

    private static string StripTypeof(string s) => s.StartsWith("typeof ", StringComparison.Ordinal) ? s["typeof ".Length..] : s;

    /// <summary>Compiles rule text for a chain and queues its anonymous sets and the NEWRULE (or the replacement).</summary>
    public static void QueueRule(NftBatch batch, ChangeScope scope, Func<NftFamily, string, NftRuleset?> readSets,
        NftFamily family, string table, string chain, string ruleText, RulePlacement placement, string? comment, ulong? replaceHandle,
        Action<string>? warning = null, string? keptComment = null, Action<NftRule>? compiledRule = null) =>
        QueueRule(batch, scope, readSets, family, table, chain, NftPS.Language.Syntax.Parser.ParseRule(ruleText), placement, comment,
            replaceHandle, warning, keptComment, compiledRule);

    /// <summary>Compiles a rule's syntax tree (from rule text, or built from parameters) and queues it.</summary>
    public static void QueueRule(NftBatch batch, ChangeScope scope, Func<NftFamily, string, NftRuleset?> readSets,
        NftFamily family, string table, string chain, NftPS.Language.Syntax.RuleNode rule, RulePlacement placement, string? comment,
        ulong? replaceHandle, Action<string>? warning = null, string? keptComment = null, Action<NftRule>? compiledRule = null)
    {
        var context = new CompileContext
        {
            Family = family,
            Table = table,
            Chain = chain,
            FindSet = name => scope.FindSet(family, table, name, readSets),
            Ids = scope.Ids,
            Warning = warning,
        };
        var compiled = RuleCompiler.Compile(rule, context);
        // The lockout guard reads the rule about to be sent as a rule read back would be: its typed facts from the
        // compiled expressions (anonymous sets are not in the kernel yet, so their elements count as unknown).
        compiledRule?.Invoke(new NftRule
        {
            Family = family, Table = table, Chain = chain, Text = compiled.Text, StatelessText = compiled.Text,
            Expressions = compiled.Expressions, FactsSource = NftPS.Language.Query.RuleFactsExtractor.SourceFor(null),
        });
        if (comment is not null) compiled = compiled with { Comment = comment };
        // A replaced rule keeps its old comment unless a new one is given (as -Comment or in the rule text).
        else if (compiled.Comment is null && keptComment is not null) compiled = compiled with { Comment = keptComment };
        if (replaceHandle is { } handle)
        {
            foreach (var (set, elements) in compiled.AnonymousSets)
            {
                batch.AddSet(family, table, set, "anonymous");
                if (elements.Count > 0)
                    batch.AddElements(family, table, set.Name, elements, e => e.Key is { } k ? Convert.ToHexString(k) : "*", set.SetId, ofAnonymousSet: true);
            }
            var op = batch.ReplaceRule(family, table, chain, handle, compiled.Expressions, WithoutComment(compiled), compiled.Comment);
            op.LocateRefusal = KernelRefusalLocator.For(op, compiled);
            return;
        }
        batch.QueueRule(compiled, family, table, chain, placement);
    }

    private static string WithoutComment(CompiledRule rule) => rule.Comment is null ? rule.Text
        : Regex.Replace(rule.Text, @"\s*comment\s+(""[^""]*""|\S+)\s*$", "");

    /// <summary>Queues nft commands (`add set …`, `add element …`, `add counter …`) through the script evaluator,
    /// which knows every set type, flag and element form nft does.</summary>
    public static void QueueCommands(NftBatch batch, ChangeScope scope, Func<NftFamily, string, NftRuleset?> readSets, string commands,
        Action<string>? warning = null, int? expectedCommands = null)
    {
        var script = NftScript.Parse(commands);
        // Text built from parameter values must stay the commands it was built as; more means a value became syntax.
        if (expectedCommands is { } n && script.Commands.Count != n)
            throw new ArgumentException($"The parameter values did not read back as the {n} command(s) they were written into; nothing was changed.");
        script.QueueOn(batch, new ScriptContext
        {
            FindExistingSet = (f, t, n) => scope.FindSet(f, t, n, readSets),
            Ids = scope.Ids,
            Warning = warning,
        });
    }

    /// <summary>Elements (each parsed on its own as one element) typed by the set's key and data and encoded as
    /// NEWSETELEM/DELSETELEM contents, intervals as nft sends them; refuses what the set cannot hold.</summary>
    public static List<ElementSpec> EncodeElements(SetDescriptor set, NftFamily family, IEnumerable<NftPS.Language.Syntax.Node> elements, bool adding)
    {
        var literal = new NftPS.Language.Syntax.SetNode();
        literal.Elements.AddRange(elements);
        return NamedSet.FromDescriptor(set).EncodeElements(literal, family, adding);
    }

    /// <summary>nft's check of new intervals against those the set holds; the error text, or null.</summary>
    public static string? OverlapWithExisting(IEnumerable<NftSetElement> existing, IReadOnlyList<ElementSpec> added, SetDescriptor set) =>
        IntervalConflicts.OverlapWithExisting(existing.Select(e => (e.Key, e.Flags)), added, set.KeyTypes[0], set.KeyLengthsBits[0]);

    /// <summary>A name as nft syntax needs it: bare when it is a plain identifier, else quoted. A name no quoted
    /// string can hold (double quote, line break, NUL) is refused: nft has no escapes, so it would become syntax.</summary>
    public static string Name(string name) => NftIdentifier.Name(NftIdentifier.CheckName("name", name));

    /// <summary>A string value in double quotes; refused when nft's quoted strings cannot hold it.</summary>
    public static string Quote(string text) => NftIdentifier.IsQuotable(text) ? "\"" + text + "\""
        : throw new NftInvalidValueException("string", text, "it contains a double quote, a line break, a NUL or a control character, which nft's quoted strings cannot hold");
}
