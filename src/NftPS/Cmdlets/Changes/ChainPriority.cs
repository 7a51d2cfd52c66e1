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
        if (int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number)) return number;
        var m = Regex.Match(t, @"^([a-z]+)\s*(?:([+-])\s*(\d+))?$");
        if (m.Success)
            foreach (var (name, value) in NftHooks.PriorityNames(family))
                if (name == m.Groups[1].Value)
                {
                    int offset = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
                    return m.Groups[2].Value == "-" ? value - offset : value + offset;
                }
        string names = string.Join(", ", NftHooks.PriorityNames(family).Select(p => p.Name));
        throw new ArgumentException($"'{text}' is not a chain priority: give a number or one of {names}, optionally with an offset such as 'filter - 10'.");
    }
}
