using System.Management.Automation;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Changes;

/// <summary>Names, comments and device names checked at the cmdlet, before any nft text or message is built from
/// them, by the same rules the nft-file and JSON readers and the batch writer apply (<see cref="NftIdentifier"/>).
/// A refused value is an InvalidArgument error naming the parameter, the value and what is allowed.</summary>
internal static class ValueChecks
{
    /// <summary>The first problem among the given names (parameter name, value), or null.</summary>
    public static ErrorRecord? Names(params (string Parameter, string? Value)[] names)
    {
        foreach (var (parameter, value) in names)
            if (NftIdentifier.NameProblem(value) is { } problem)
                return Refused(parameter, "name", value ?? "", problem);
        return null;
    }

    public static ErrorRecord? Comment(string? comment) =>
        NftIdentifier.CommentProblem(comment) is { } problem ? Refused("Comment", "comment", comment!, problem) : null;

    public static ErrorRecord? Devices(IEnumerable<string>? devices)
    {
        foreach (string d in devices ?? Array.Empty<string>())
        {
            string? problem = d.Length == 0 ? "an interface name cannot be empty" : NftIdentifier.InterfaceNameProblem(d);
            if (problem is not null) return Refused("Device", "device", d, problem);
        }
        return null;
    }

    /// <summary>A declaration fragment (-Type, -Typeof, -DataType, -Quota, -Rate) is words, dots, commas and spaces, never a
    /// separator, block or string that would let it end the declaration and start another command.</summary>
    public static ErrorRecord? Declaration(string parameter, string? value)
    {
        if (value is null) return null;
        int bad = value.IndexOfAny(DeclarationBreakers);
        if (bad < 0 && !value.Any(char.IsControl)) return null;
        if (bad < 0) bad = value.ToList().FindIndex(char.IsControl);
        return Refused(parameter, parameter.ToLowerInvariant() + " value", value,
            $"it contains {NftIdentifier.Visible(value[bad].ToString())} at position {bad + 1}, which would end the declaration it is written into " +
            "(allowed: words, numbers, spaces and the . , / - : @ signs)");
    }

    private static readonly char[] DeclarationBreakers = { ';', '{', '}', '"', '#', '$', '\n', '\r', '\0' };

    private static ErrorRecord Refused(string parameter, string kind, string value, string problem)
    {
        var ex = new NftInvalidValueException(kind, value, problem);
        return new ErrorRecord(ex, "NftInvalid" + Pascal(kind), ErrorCategory.InvalidArgument, value)
        {
            ErrorDetails = new ErrorDetails($"-{parameter}: {ex.Message}"),
        };
    }

    private static string Pascal(string kind) =>
        string.Concat(kind.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
}
