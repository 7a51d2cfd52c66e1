using System.Collections;
using System.Management.Automation;
using System.Reflection;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Convergence;

/// <summary>A copy of a Get-NftRuleset snapshot that lost its type (Import-Clixml, PSSerializer, remoting) rebuilt
/// into model objects: each property is taken as a value of the model property's type, and the kernel expressions
/// of rules, sets and elements are decoded again from the raw netlink bytes the copy carries (RawExpressions), by the
/// same codec that decodes a kernel dump. Nothing in a copy is ever read as nft text, so a copy is a value, never
/// code; a copy made too shallow to hold its rules' and elements' properties is refused, naming the depth to use.</summary>
internal static class DeserializedRuleset
{
    /// <summary>Serialize with at least this -Depth so rules and set elements keep their properties.</summary>
    internal const int RequiredDepth = 3;

    public static NftRuleset Rebuild(PSObject copy)
    {
        var ruleset = new NftRuleset
        {
            Host = Text(copy, "Host") ?? "",
            NetworkNamespace = Text(copy, "NetworkNamespace"),
        };
        foreach (var item in Items(copy, "Tables")) ruleset.Tables.Add(Copy<NftTable>(item, "table"));
        foreach (var item in Items(copy, "Chains")) ruleset.Chains.Add(Copy<NftChain>(item, "chain"));
        foreach (var item in Items(copy, "Objects")) ruleset.Objects.Add(Copy<NftNamedObject>(item, "named object"));
        foreach (var item in Items(copy, "Flowtables")) ruleset.Flowtables.Add(Copy<NftFlowtable>(item, "flowtable"));
        foreach (var item in Items(copy, "Sets"))
        {
            var set = Copy<NftSet>(item, "set");
            set.Expressions = set.RawExpressions is { Length: > 0 } list ? Decode(list, set.ToString())
                : set.RawExpression is { Length: > 0 } one ? new[] { DecodeOne(one, set.ToString()) } : Array.Empty<Expression>();
            if (set.ElementsLoaded)
                set.Elements = Items(item, "Elements").Select(e => Element(e, set)).ToList();
            ruleset.Sets.Add(set);
        }
        foreach (var item in Items(copy, "Rules"))
        {
            var rule = Copy<NftRule>(item, "rule");
            rule.Expressions = Decode(rule.RawExpressions, $"rule {rule.Family.ToString().ToLowerInvariant()} {rule.Table} {rule.Chain} handle {rule.Handle}");
            ruleset.Rules.Add(rule);
        }
        return ruleset;
    }

    /// <summary>A copied table's identity (family, name, host, namespace): its content is read where it was read.</summary>
    public static NftTable RebuildTable(PSObject copy) => Copy<NftTable>(copy, "table");

    private static NftSetElement Element(PSObject item, NftSet set)
    {
        var element = Copy<NftSetElement>(item, "set element");
        if (Verdict(item.Properties["Verdict"]?.Value) is { } verdict) element.Verdict = verdict;
        if (element.RawExpressions is { Length: > 0 } raw)
            element.Expressions = element.RawExpressionIsSingle ? new[] { DecodeOne(raw, set.ToString()) } : Decode(raw, set.ToString());
        return element;
    }

    private static readonly Dictionary<string, VerdictCode> VerdictWords = new(StringComparer.Ordinal)
    {
        ["accept"] = VerdictCode.Accept, ["drop"] = VerdictCode.Drop, ["queue"] = VerdictCode.Queue, ["continue"] = VerdictCode.Continue,
        ["break"] = VerdictCode.Break, ["return"] = VerdictCode.Return, ["stolen"] = VerdictCode.Stolen,
        ["jump"] = VerdictCode.Jump, ["goto"] = VerdictCode.Goto,
    };

    /// <summary>A verdict map element's verdict: a property bag (Code, Chain, ChainId) from a deep copy, or from a
    /// shallower one the verdict's own display ("accept", "jump NAME"), taken only when the chain name is a bare
    /// word or a plain quoted one; anything else asks for a deeper copy rather than guessing.</summary>
    private static NftVerdict? Verdict(object? value)
    {
        if (value is PSObject { BaseObject: not string } bag)
        {
            if (!LanguagePrimitives.TryConvertTo(Unwrap(bag.Properties["Code"]?.Value), out VerdictCode code)) throw TooShallow("map verdicts");
            uint? chainId = LanguagePrimitives.TryConvertTo(Unwrap(bag.Properties["ChainId"]?.Value), out uint id) ? id : null;
            return new NftVerdict(code, Text(bag, "Chain"), chainId);
        }
        if (Unwrap(value) is not string { Length: > 0 } text) return null;
        int space = text.IndexOf(' ');
        string word = space < 0 ? text : text[..space];
        if (!VerdictWords.TryGetValue(word, out var c)) throw TooShallow("map verdicts");
        if (c is not (VerdictCode.Jump or VerdictCode.Goto)) return space < 0 ? new NftVerdict(c) : throw TooShallow("map verdicts");
        string chain = space < 0 ? "" : text[(space + 1)..];
        if (chain.Length > 2 && chain[0] == '"' && chain[^1] == '"' && !chain[1..^1].Contains('"') && !chain.Contains('\\')) chain = chain[1..^1];
        else if (!NftIdentifier.IsBare(chain)) throw TooShallow("map verdicts");
        return new NftVerdict(c, chain);
    }

    /// <summary>A new <typeparamref name="T"/> with every settable property of a simple type (text, numbers, flags,
    /// enums, byte arrays, time spans and their arrays) taken from the copy as a value of that type.</summary>
    private static T Copy<T>(PSObject item, string kind) where T : new()
    {
        var result = new T();
        foreach (var property in Settable<T>.Properties)
        {
            object? value = Unwrap(item.Properties[property.Name]?.Value);
            if (value is null) continue;
            if (!LanguagePrimitives.TryConvertTo(value, property.PropertyType, out object? converted))
                throw new ArgumentException($"The copied {kind}'s {property.Name} ('{value}') is not a {property.PropertyType.Name}; the copy cannot be a desired state.");
            property.SetValue(result, converted);
        }
        return result;
    }

    private static class Settable<T>
    {
        public static readonly PropertyInfo[] Properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && IsSimple(p.PropertyType)).ToArray();
    }

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) type = type.GetElementType()!;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(DateTime);
    }

    /// <summary>The items of a collection property; an item that is only text means the copy was made too shallow.</summary>
    private static IEnumerable<PSObject> Items(PSObject owner, string name)
    {
        object? value = Unwrap(owner.Properties[name]?.Value);
        if (value is null) yield break;
        if (value is string || value is not IEnumerable list)
            throw TooShallow(name);
        foreach (var item in list)
        {
            if (item is not PSObject ps || ps.BaseObject is string || ps.Properties["Family"] is null) throw TooShallow(name);
            yield return ps;
        }
    }

    private static ArgumentException TooShallow(string what) => new(
        $"The copied ruleset's {what} were serialized without their properties. Serialize the Get-NftRuleset output with -Depth {RequiredDepth} or more " +
        $"(Export-Clixml -Depth {RequiredDepth}, or PSSerializer.Serialize(obj, {RequiredDepth})), or export it with Export-NftRuleset -Path and give the file to -Path.");

    private static IReadOnlyList<Expression> Decode(byte[] raw, string what)
    {
        if (raw.Length == 0) return Array.Empty<Expression>();
        try
        {
            return ExpressionCodec.DecodeList(raw);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            throw new ArgumentException($"The copied {what} carries expression bytes that do not decode; the copy cannot be a desired state.", ex);
        }
    }

    private static Expression DecodeOne(byte[] raw, string what)
    {
        try
        {
            return ExpressionCodec.DecodeSingle(raw);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            throw new ArgumentException($"The copied {what} carries expression bytes that do not decode; the copy cannot be a desired state.", ex);
        }
    }

    private static object? Unwrap(object? value) => value is PSObject p ? p.BaseObject : value;

    private static string? Text(PSObject owner, string name) => Unwrap(owner.Properties[name]?.Value)?.ToString();
}
