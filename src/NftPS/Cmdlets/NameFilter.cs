using System.Management.Automation;

namespace NftPS.Cmdlets;

/// <summary>A -Name/-Table/-Chain filter: wildcard patterns match case-insensitively (as everywhere in PowerShell),
/// names without wildcards match exactly (nft names are case-sensitive) and are remembered, so a name
/// asked for that matched nothing can be reported as not found.</summary>
internal sealed class NameFilter
{
    private readonly List<WildcardPattern> _patterns = new();
    private readonly Dictionary<string, bool> _literals = new(StringComparer.Ordinal);

    private NameFilter() { }

    /// <summary>Null when there is nothing to filter on (no names, or only "*").</summary>
    public static NameFilter? Create(params string?[]? names)
    {
        if (names is null) return null;
        var filter = new NameFilter();
        foreach (string? name in names)
        {
            if (string.IsNullOrEmpty(name)) continue;
            if (WildcardPattern.ContainsWildcardCharacters(name))
                filter._patterns.Add(WildcardPattern.Get(name, WildcardOptions.IgnoreCase));
            else
                filter._literals[name] = false;
        }
        return filter._patterns.Count == 0 && filter._literals.Count == 0 ? null : filter;
    }

    /// <summary>The single exact name when the filter is just one literal (lets the reader narrow its dumps).</summary>
    public string? SingleLiteral => _patterns.Count == 0 && _literals.Count == 1 ? _literals.Keys.First() : null;

    public bool IsMatch(string name)
    {
        if (_literals.ContainsKey(name))
        {
            _literals[name] = true;
            return true;
        }
        foreach (var p in _patterns) if (p.IsMatch(name)) return true;
        return false;
    }

    public IEnumerable<string> UnmatchedLiterals => _literals.Where(kv => !kv.Value).Select(kv => kv.Key);

    /// <summary>Applies an optional filter.</summary>
    public static bool Matches(NameFilter? filter, string name) => filter is null || filter.IsMatch(name);
}
