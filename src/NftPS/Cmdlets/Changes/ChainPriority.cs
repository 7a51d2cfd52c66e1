using System.Globalization;
using System.Text.RegularExpressions;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Changes;

/// <summary>Chain priorities as nft writes them: a number, or a standard name with an optional offset ("filter - 10").</summary>
internal static class ChainPriority
{
    public static int Parse(NftFamily family, string text)
    {
        string t = text.Trim();
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)) return InRange(number, text);
        var m = Regex.Match(t, @"^([a-z]+)\s*(?:([+-])\s*(\d+))?$");
        if (m.Success)
            foreach (var (name, value) in NftHooks.PriorityNames(family))
                if (name == m.Groups[1].Value)
                {
                    // Checked in 64-bit (and digits beyond that refused) so nothing wraps, as nft silently does.
                    if (!long.TryParse(m.Groups[3].Success ? m.Groups[3].Value : "0", NumberStyles.None, CultureInfo.InvariantCulture, out long offset)
                        || offset > uint.MaxValue)
                        throw OutOfRange(text);
                    return InRange(m.Groups[2].Value == "-" ? value - offset : value + offset, text);
                }
        string names = string.Join(", ", NftHooks.PriorityNames(family).Select(p => p.Name));
        throw new ArgumentException($"'{text}' is not a chain priority: give a number or one of {names}, optionally with an offset such as 'filter - 10'.");
    }

    private static int InRange(long value, string text) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw OutOfRange(text);

    private static ArgumentException OutOfRange(string text) =>
        new($"Priority '{text}' is out of range: a chain priority is a 32-bit signed number ({int.MinValue} to {int.MaxValue}).");
}
