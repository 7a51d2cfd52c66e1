using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using NftPS.Language.Printing;
using NftPS.Language.Syntax;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Changes;

/// <summary>Set elements given as PowerShell values, each turned into exactly one element of the language's syntax
/// tree: a string is parsed on its own as one element ("10.0.0.0/8", "1.2.3.4-1.2.3.9", "10.0.0.1 . 22",
/// "80 : accept"); IPAddress, IPNetwork and numbers as one value; arrays as concatenations; hashtables
/// @{ Key = …; Value = …; Timeout = …; Comment = … } with the timeout and comment taken as typed values. Nothing is
/// ever joined into command text, so no element can end the element list or start another command.</summary>
internal static class ElementText
{
    /// <summary>One element; <paramref name="timeout"/> and <paramref name="comment"/> (the cmdlet's parameters) apply to it.
    /// An element read from the kernel (live or deserialized) keeps its comment; as <paramref name="copy"/> says, also its
    /// own timeout and statements (counter, limit, quota), with or without its counter values and quota usage.</summary>
    public static Node Parse(object? value, TimeSpan? timeout, string? comment, ElementCopy copy = ElementCopy.Key)
    {
        // A deserialized element (PSSerializer, remoting) has lost its type: its Value text is the element, parsed
        // as one element exactly as a live element's is.
        if (value is PSObject read && read.BaseObject is not NftSetElement
            && read.TypeNames.Any(t => t.EndsWith("NftPS.NfTables.Model.NftSetElement", StringComparison.Ordinal))
            && read.Properties["Value"]?.Value?.ToString() is { Length: > 0 } copiedText)
        {
            var copied = new NftSetElement
            {
                RawExpressions = Unwrap(read.Properties["RawExpressions"]?.Value) as byte[],
                RawExpressionIsSingle = Unwrap(read.Properties["RawExpressionIsSingle"]?.Value) is true,
                Timeout = copy == ElementCopy.Key ? null : Unwrap(read.Properties["Timeout"]?.Value) as TimeSpan?,
            };
            var parsed = WithOptions(Parser.ParseOneElement(Source(copiedText)), timeout ?? copied.Timeout,
                comment ?? read.Properties["Comment"]?.Value?.ToString());
            return Checked(WithStatements(parsed, copied, copy));
        }
        value = Unwrap(value);
        // An element's Value is its key (and data) only; its comment, timeout and statements are properties of their own.
        if (value is NftSetElement { Value.Length: > 0 } live)
        {
            var parsed = WithOptions(Parser.ParseOneElement(Source(live.Value)),
                timeout ?? (copy == ElementCopy.Key ? null : live.Timeout), comment ?? live.Comment);
            return Checked(WithStatements(parsed, live, copy));
        }
        Node element;
        if (value is IDictionary d)
        {
            object? key = Get(d, "Key") ?? Get(d, "Element") ?? throw new ArgumentException("An element hashtable needs a Key.");
            object? data = Get(d, "Value") ?? Get(d, "Data");
            if (Get(d, "Timeout") is { } t) timeout = ToTimeSpan(t);
            if (Get(d, "Comment") is { } c) comment = c.ToString();
            element = Key(Unwrap(key));
            element = WithOptions(element, timeout, comment);
            if (data is not null)
            {
                data = Unwrap(data);
                var value2 = data is string s ? Parser.ParseOneMapData(Source(s)) : Key(data);
                element = new MappingNode { Key = element, Value = value2, Span = element.Span };
            }
            return Checked(element);
        }
        element = value switch
        {
            string s => Parser.ParseOneElement(Source(s)),
            NftSetElement e when e.Value.Length > 0 => Parser.ParseOneElement(Source(e.Value)),
            _ => Key(value),
        };
        return Checked(WithOptions(element, timeout, comment));
    }

    /// <summary>The element as nft text (-WhatIf): the values it parsed as, strings quoted.</summary>
    public static string Print(Node element) => ValueText.Print(element);

    public static string Time(TimeSpan t)
    {
        if (t <= TimeSpan.Zero) throw new ArgumentException("A timeout must be positive.");
        return NftHooks.FormatTime((ulong)t.TotalMilliseconds);
    }

    private static ulong TimeoutMs(TimeSpan t)
    {
        if (t <= TimeSpan.Zero) throw new ArgumentException("A timeout must be positive.");
        return (ulong)t.TotalMilliseconds;
    }

    private static TimeSpan ToTimeSpan(object t)
    {
        if (t is TimeSpan ts) return ts;
        string text = t.ToString() ?? "";
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        throw new ArgumentException($"The element timeout '{ValueText.Shown(text)}' is not a TimeSpan (such as 01:00:00 or [TimeSpan]::FromMinutes(5)).");
    }

    /// <summary>A key value: strings parse as one value (a concatenation, range or prefix, but no element options);
    /// typed values are written invariantly and parsed the same way, so every key has a source for error carets.</summary>
    private static Node Key(object? value) => value switch
    {
        null => throw new ArgumentException("An element cannot be null."),
        string s => Parser.ParseOneValue(Source(s), "set element key"),
        IPAddress ip => Parser.ParseOneValue(Source(ip.ToString()), "set element key"),
        IPNetwork net => Parser.ParseOneValue(Source(net.ToString()), "set element key"),
        IFormattable f when value is int or uint or long or ulong or short or ushort or byte or sbyte =>
            Parser.ParseOneValue(Source(f.ToString(null, CultureInfo.InvariantCulture)), "set element key"),
        NftSetElement e when e.Value.Length > 0 => Parser.ParseOneValue(Source(e.Value), "set element key"),
        object[] parts when parts.Length > 0 => Concat(parts),
        _ => Parser.ParseOneValue(Source(value.ToString() ?? ""), "set element key"),
    };

    private static Node Concat(object[] parts)
    {
        var c = new ConcatNode();
        foreach (var p in parts) c.Items.Add(Key(Unwrap(p)));
        c.Span = c.Items[0].Span;
        return c;
    }

    private static SourceText Source(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("An element cannot be empty.");
        return new SourceText(text);
    }

    /// <summary>The cmdlet's -Timeout/-Comment (or the hashtable's) on the key, as the element options nft writes
    /// after the key (in a map, before the `:`).</summary>
    private static Node WithOptions(Node element, TimeSpan? timeout, string? comment)
    {
        if (timeout is null && comment is null) return element;
        if (element is MappingNode m)
        {
            m.Key = WithOptions(m.Key, timeout, comment);
            return m;
        }
        var holder = element as SetElementNode ?? new SetElementNode { Key = element, Span = element.Span };
        if (timeout is { } t) holder.TimeoutMs = TimeoutMs(t);
        if (comment is not null) holder.Comment = comment;
        return holder;
    }

    /// <summary>The element's statements as the kernel holds them (a counter, a limit, a quota), printed from its
    /// expressions (stateless unless <paramref name="includeCounters"/>: counters then keep their packets and bytes,
    /// quotas their usage) and each parsed as one statement of the kinds an element may carry.</summary>
    private static Node WithStatements(Node element, NftSetElement read, ElementCopy copy)
    {
        if (copy == ElementCopy.Key || read.RawExpressions is null) return element;
        bool includeCounters = copy == ElementCopy.WithCounters;
        IReadOnlyList<string> texts;
        try
        {
            texts = NftPS.Language.Printing.StatementPrinter.ElementStatements(read, stateless: !includeCounters);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ArgumentException("The element's statements (RawExpressions) cannot be decoded; the element was not copied.", ex);
        }
        if (texts.Count == 0) return element;
        if (element is MappingNode m)
        {
            m.Key = WithStatements(m.Key, read, copy);
            return m;
        }
        var holder = element as SetElementNode ?? new SetElementNode { Key = element, Span = element.Span };
        foreach (string text in texts)
        {
            var statement = Parser.ParseConstantStatement(text);
            if (statement is not ActionStatement { Kind: "counter" or "limit" or "quota" })
                throw new ArgumentException($"The element's statement '{ValueText.Shown(text)}' cannot be copied: an element carries only counter, limit and quota statements.");
            holder.Statements.Add(statement);
        }
        return holder;
    }

    /// <summary>Refuses what nft refuses in an element's options: a comment it cannot write or longer than 128 bytes.</summary>
    private static Node Checked(Node element)
    {
        var options = element switch
        {
            SetElementNode s => s,
            MappingNode { Key: SetElementNode s } => s,
            _ => null,
        };
        if (options?.Comment is { } c) ValueText.CheckComment(c);
        return element;
    }

    private static object? Unwrap(object? v) => v is PSObject p ? p.BaseObject : v;

    private static object? Get(IDictionary d, string name)
    {
        foreach (DictionaryEntry e in d)
            if (string.Equals(e.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase)) return Unwrap(e.Value);
        return null;
    }
}

/// <summary>What of an element read from the kernel goes into a new one: its key and comment only (removing it), also
/// its own timeout and statements (copying it), or those with their counter values and quota usage (-IncludeCounters).</summary>
internal enum ElementCopy { Key, Declared, WithCounters }
