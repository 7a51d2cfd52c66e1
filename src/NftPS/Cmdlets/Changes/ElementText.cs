using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Changes;

/// <summary>Set elements given as PowerShell values, written as nft element text: strings as they are ("10.0.0.0/8",
/// "1.2.3.4-1.2.3.9", "10.0.0.1 . 22", "80 : accept"), IPAddress and IPNetwork, numbers (ports), arrays as
/// concatenations, and hashtables @{ Key = …; Value = …; Timeout = …; Comment = … } for map data and options.</summary>
internal static class ElementText
{
    public static string Format(object? value, TimeSpan? timeout, string? comment)
    {
        value = Unwrap(value);
        object? data = null;
        if (value is IDictionary d)
        {
            object? key = Get(d, "Key") ?? Get(d, "Element") ?? throw new ArgumentException("An element hashtable needs a Key.");
            data = Get(d, "Value") ?? Get(d, "Data");
            if (Get(d, "Timeout") is { } t) timeout = t is TimeSpan ts ? ts : TimeSpan.Parse(t.ToString()!, CultureInfo.InvariantCulture);
            if (Get(d, "Comment") is { } c) comment = c.ToString();
            value = Unwrap(key);
        }
        string text = Key(value);
        if (timeout is { } to) text += " timeout " + Time(to);
        if (comment is not null) text += " comment " + LanguageAdapter.Quote(comment);
        if (data is not null) text += " : " + Key(Unwrap(data));
        return text;
    }

    public static string Time(TimeSpan t)
    {
        if (t <= TimeSpan.Zero) throw new ArgumentException("A timeout must be positive.");
        return NftHooks.FormatTime((ulong)t.TotalMilliseconds);
    }

    private static string Key(object? value) => value switch
    {
        null => throw new ArgumentException("An element cannot be null."),
        string s when s.Trim().Length == 0 => throw new ArgumentException("An element cannot be empty."),
        string s => s.Trim(),
        IPAddress ip => ip.ToString(),
        IPNetwork net => net.ToString(),
        IFormattable f when value is int or uint or long or ulong or short or ushort or byte => f.ToString(null, CultureInfo.InvariantCulture),
        NftSetElement e when e.Value.Length > 0 => e.Value,
        object[] parts => string.Join(" . ", parts.Select(p => Key(Unwrap(p)))),
        _ => value.ToString() ?? throw new ArgumentException("An element cannot be empty."),
    };

    private static object? Unwrap(object? v) => v is PSObject p ? p.BaseObject : v;

    private static object? Get(IDictionary d, string name)
    {
        foreach (DictionaryEntry e in d)
            if (string.Equals(e.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase)) return Unwrap(e.Value);
        return null;
    }
}
