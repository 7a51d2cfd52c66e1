using System.Text;
using System.Text.RegularExpressions;

namespace NftPS.NfTables.Model;

/// <summary>What a name, a comment or an interface name may hold, measured against nft 1.0.6 and the kernel, and
/// how each is written as nft text so it reads back as exactly that one value. Every way in (cmdlet parameters, nft
/// files, JSON) and the batch writer ask the same questions here, so a value refused one way is refused every way.
/// <para>Limits: the kernel refuses names of 256 bytes and more with ERANGE (NFT_NAME_MAXLEN is 256 with the NUL);
/// nft refuses comments over 128 bytes ("comment too long, 128 characters maximum allowed"); interface names have
/// IFNAMSIZ 16 with the NUL, and nft refuses 16 ("String exceeds maximum length of 16").</para>
/// <para>A value nft's quoted strings cannot hold is refused, never escaped: nft has no escape inside "…", so a
/// double quote ends the string, and a NUL ends the kernel's copy. Line breaks and other control characters are
/// refused too: they would turn one value into several lines of nft text.</para></summary>
public static class NftIdentifier
{
    public const int MaxNameBytes = 255;
    public const int MaxCommentBytes = 128;
    public const int MaxInterfaceNameBytes = 15;

    // nft's own identifier (scanner.l `string`), minus '/' which our lexer splits, and never ending in '-' or '.'
    // (our lexer leaves those out of a word). Names outside it print quoted.
    private static readonly Regex Bare = new(@"^[A-Za-z_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?$", RegexOptions.CultureInvariant);

    /// <summary>Why <paramref name="name"/> cannot name a table, chain, set, map, object or flowtable, or null.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "a name cannot be empty";
        return CharacterProblem(name, allowTab: false) ?? LengthProblem(name, 1, MaxNameBytes, "a name");
    }

    /// <summary>Why <paramref name="comment"/> cannot be a comment (table, chain, rule, set, object, element), or null.</summary>
    public static string? CommentProblem(string? comment)
    {
        if (comment is null) return null;
        return CharacterProblem(comment, allowTab: true) ?? LengthProblem(comment, 0, MaxCommentBytes, "a comment");
    }

    /// <summary>Why <paramref name="name"/> cannot be an interface name (iifname/oifname values, chain and flowtable
    /// devices), or null. A trailing '*' (a wildcard in rules) counts toward the length, as nft counts it.</summary>
    public static string? InterfaceNameProblem(string? name)
    {
        if (name is null) return "an interface name cannot be null";
        return CharacterProblem(name, allowTab: false) ?? LengthProblem(name, 0, MaxInterfaceNameBytes, "an interface name");
    }

    /// <summary>Throws <see cref="NftInvalidValueException"/> when <paramref name="name"/> is not a valid name.</summary>
    public static string CheckName(string kind, string name) =>
        NameProblem(name) is { } p ? throw new NftInvalidValueException(kind, name, p) : name;

    /// <summary>Throws <see cref="NftInvalidValueException"/> when <paramref name="comment"/> is not a valid comment.</summary>
    public static string? CheckComment(string? comment) =>
        CommentProblem(comment) is { } p ? throw new NftInvalidValueException("comment", comment!, p) : comment;

    /// <summary>Throws <see cref="NftInvalidValueException"/> when <paramref name="name"/> is not a valid interface name.</summary>
    public static string CheckInterfaceName(string kind, string name) =>
        InterfaceNameProblem(name) is { } p ? throw new NftInvalidValueException(kind, name, p) : name;

    /// <summary>True when the value can be written between double quotes and read back unchanged.</summary>
    public static bool IsQuotable(string value) => CharacterProblem(value, allowTab: true) is null;

    /// <summary>True when the value is a plain identifier that needs no quotes.</summary>
    public static bool IsBare(string value) => Bare.IsMatch(value);

    /// <summary>A name as nft text: bare when it is a plain identifier, else in double quotes. Throws
    /// <see cref="NftUnprintableException"/> for a name no nft text can hold (made by another tool).</summary>
    public static string Name(string name) =>
        IsBare(name) ? name
        : name.Length > 0 && IsQuotable(name) ? "\"" + name + "\""
        : throw new NftUnprintableException("name", name);

    /// <summary>A string in double quotes, or <see cref="NftUnprintableException"/> when it cannot be one.</summary>
    public static string Quoted(string value, string kind = "comment") =>
        IsQuotable(value) ? "\"" + value + "\"" : throw new NftUnprintableException(kind, value);

    /// <summary>A name for messages and -WhatIf text: as <see cref="Name"/> when printable, else quoted with every
    /// offending character shown as a \\u escape so the text can be read but never runs as nft commands.</summary>
    public static string Display(string name) =>
        IsBare(name) ? name : "\"" + Visible(name) + "\"";

    /// <summary>The value with double quotes, backslashes and control characters as \uXXXX escapes (messages only).</summary>
    public static string Visible(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) sb.Append(c).Append(value[++i]);
            else if (c == '"' || char.IsControl(c) || char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4"));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static string? CharacterProblem(string value, bool allowTab)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\0') return $"it contains a NUL character at position {i + 1}; the kernel would cut the value there";
            if (c == '"') return $"it contains a double quote at position {i + 1}; nft's quoted strings cannot hold one";
            if (c is '\n' or '\r') return $"it contains a line break at position {i + 1}; a value must stay on one line";
            if (char.IsControl(c) && !(allowTab && c == '\t'))
                return $"it contains the control character U+{(int)c:X4} at position {i + 1}";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return $"it contains an unpaired UTF-16 surrogate at position {i + 1}; it has no UTF-8 form";
        }
        return null;
    }

    private static string? LengthProblem(string value, int min, int max, string what)
    {
        int bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes < min) return $"{what} cannot be empty";
        if (bytes > max) return $"it is {bytes} bytes long in UTF-8; {what} may have at most {max}";
        return null;
    }
}

/// <summary>A name, comment or interface name nft cannot hold, refused before anything was sent.</summary>
public sealed class NftInvalidValueException : ArgumentException
{
    public NftInvalidValueException(string kind, string value, string problem)
        : base($"The {kind} {NftIdentifier.Display(Shorten(value))} is not allowed: {problem}. {Allowed(kind)}".TrimEnd())
    {
        Kind = kind;
        Value = value;
        Problem = problem;
    }

    public string Kind { get; }
    public string Value { get; }
    public string Problem { get; }

    private static string Shorten(string v) => v.Length <= 80 ? v : v[..77] + "...";

    private static string Allowed(string kind) => kind switch
    {
        "comment" => $"A comment is up to {NftIdentifier.MaxCommentBytes} bytes of UTF-8 text on one line, without double quotes or NUL.",
        _ when kind.Contains("interface", StringComparison.Ordinal) || kind.Contains("device", StringComparison.Ordinal) =>
            $"An interface name is up to {NftIdentifier.MaxInterfaceNameBytes} bytes, without double quotes, NUL or control characters.",
        _ when kind.EndsWith("name", StringComparison.Ordinal) =>
            $"A name is 1 to {NftIdentifier.MaxNameBytes} bytes of UTF-8 text on one line, without double quotes, NUL or control characters.",
        _ => "",
    };
}

/// <summary>An object read from the kernel whose name or comment no nft text can hold (another tool made it):
/// printing it would produce text that reads back as something else, so it is refused.</summary>
public sealed class NftUnprintableException : InvalidOperationException
{
    public NftUnprintableException(string kind, string value, string? owner = null)
        : base($"The {kind} {NftIdentifier.Display(value)}{(owner is null ? "" : " of " + owner)} cannot be written as nft text " +
               "(it holds a double quote, a line break, a NUL or another control character, or is empty); it was made by another tool. " +
               "Rename or remove it, or export with -AsJson.")
    {
        Kind = kind;
        Value = value;
    }

    public string Kind { get; }
    public string Value { get; }
}
