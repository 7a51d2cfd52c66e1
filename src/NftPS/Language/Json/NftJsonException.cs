using NftPS.Language.Syntax;

namespace NftPS.Language.Json;

/// <summary>libnftables JSON input that cannot be read or does not evaluate. <see cref="JsonPath"/> names the
/// offending node (`nftables[12].add.rule.expr[2]`), <see cref="Value"/> is its JSON text (shortened), and for
/// rule-level errors <see cref="Inner"/> is the nft language error with the rule and a caret.</summary>
public sealed class NftJsonException : Exception
{
    public NftJsonException(string jsonPath, string reason, string? value, NftLanguageException? inner = null)
        : base(Format(jsonPath, reason, value, inner), inner)
    {
        JsonPath = jsonPath;
        Reason = reason;
        Value = value;
        Inner = inner;
    }

    public string JsonPath { get; }
    public string Reason { get; }
    public string? Value { get; }
    public NftLanguageException? Inner { get; }

    /// <summary>True when the JSON itself is malformed or does not follow the schema (ParserError); false when a
    /// value in it does not evaluate (InvalidData).</summary>
    public bool IsSchemaError => Inner is null or NftSyntaxException;

    private static string Format(string path, string reason, string? value, NftLanguageException? inner)
    {
        string head = $"{path}: {reason}";
        if (value is not null) head += $" (value: {value})";
        return inner is null ? head : head + "\n" + inner.Message;
    }
}
