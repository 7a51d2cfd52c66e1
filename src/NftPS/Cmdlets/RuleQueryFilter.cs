using System.Globalization;
using System.Management.Automation;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Get-NftRule's query filters, each parsed once as one value of its type (an address or prefix, a port or
/// range, a uid or user name) and tested against the rule's typed properties with <see cref="NftRuleQuery"/>'s
/// definition: the rule tests the field, the value (or part of a filter prefix/range) passes it. Text filters
/// (comment, set, interface) are PowerShell wildcards.</summary>
internal sealed class RuleQueryFilter
{
    private readonly List<Func<NftRule, bool>> _tests = new();

    public bool IsEmpty => _tests.Count == 0;

    public bool Matches(NftRule rule)
    {
        foreach (var test in _tests)
            if (!test(rule)) return false;
        return true;
    }

    public static RuleQueryFilter Create(GetNftRuleCommand c)
    {
        var f = new RuleQueryFilter();
        if (c.Protocol is { Length: > 0 } proto)
            f._tests.Add(r => NftRuleQuery.NamePasses(r.Protocol, r.Not.Protocol, proto));
        if (c.SourceAddress is { Length: > 0 } sa)
        {
            var value = Parse(() => NftRuleQuery.ParseAddress(sa), nameof(c.SourceAddress), sa);
            f._tests.Add(r => NftRuleQuery.AddressPasses(r.SourceAddress, r.Not.SourceAddress, value));
        }
        if (c.DestinationAddress is { Length: > 0 } da)
        {
            var value = Parse(() => NftRuleQuery.ParseAddress(da), nameof(c.DestinationAddress), da);
            f._tests.Add(r => NftRuleQuery.AddressPasses(r.DestinationAddress, r.Not.DestinationAddress, value));
        }
        if (c.SourcePort is { Length: > 0 } sp)
        {
            var value = Parse(() => NftRuleQuery.ParsePort(sp), nameof(c.SourcePort), sp);
            f._tests.Add(r => NftRuleQuery.PortPasses(r.SourcePort, r.Not.SourcePort, value));
        }
        if (c.DestinationPort is { Length: > 0 } dp)
        {
            var value = Parse(() => NftRuleQuery.ParsePort(dp), nameof(c.DestinationPort), dp);
            f._tests.Add(r => NftRuleQuery.PortPasses(r.DestinationPort, r.Not.DestinationPort, value));
        }
        if (c.InputInterface is { Length: > 0 } iif)
            f._tests.Add(Interface(iif, r => r.InputInterface, r => r.Not.InputInterface));
        if (c.OutputInterface is { Length: > 0 } oif)
            f._tests.Add(Interface(oif, r => r.OutputInterface, r => r.Not.OutputInterface));
        if (c.ConnectionState is { Length: > 0 } state)
            f._tests.Add(r => NftRuleQuery.NamePasses(r.ConnectionState, r.Not.ConnectionState, state));
        if (c.User is { Length: > 0 } user)
        {
            uint uid = Parse(() => UserId(user), nameof(c.User), user);
            f._tests.Add(r => NftRuleQuery.UserPasses(r.User, r.Not.User, uid));
        }
        if (c.Action is NftRuleAction action)
            f._tests.Add(r => r.Action == action);
        if (c.Comment is { Length: > 0 } comment)
        {
            var pattern = WildcardPattern.Get(comment, WildcardOptions.IgnoreCase);
            f._tests.Add(r => r.Comment is { } rc && pattern.IsMatch(rc));
        }
        if (c.UsesSet is { Length: > 0 } set)
        {
            var pattern = WildcardPattern.Get(set, WildcardOptions.IgnoreCase);
            f._tests.Add(r => r.Sets.Any(pattern.IsMatch));
        }
        return f;
    }

    /// <summary>An interface filter: a literal name passes the rule's names and wildcards ("eth*" takes eth0); a
    /// PowerShell wildcard ("eth*", "wg?") matches the names as the rule lists them.</summary>
    private static Func<NftRule, bool> Interface(string filter, Func<NftRule, string[]> required, Func<NftRule, string[]> excluded)
    {
        if (!WildcardPattern.ContainsWildcardCharacters(filter))
            return r => NftRuleQuery.NamePasses(required(r), excluded(r), filter);
        var pattern = WildcardPattern.Get(filter, WildcardOptions.IgnoreCase);
        return r => required(r).Any(pattern.IsMatch);
    }

    private static T Parse<T>(Func<T> parse, string parameter, string value)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException ex)
        {
            throw new RuleFilterException(parameter, value, $"Cannot use '{value}' for -{parameter}: {ex.Message}", ex);
        }
    }

    /// <summary>A uid, or a user name looked up in /etc/passwd as nft does when it compiles `meta skuid NAME`.</summary>
    private static uint UserId(string user)
    {
        if (uint.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)) return uid;
        try
        {
            foreach (string line in File.ReadLines("/etc/passwd"))
            {
                string[] f = line.Split(':');
                if (f.Length > 2 && f[0] == user && uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out uid)) return uid;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        throw new ArgumentException($"'{user}' is neither a uid nor a user of this machine.");
    }
}

/// <summary>A filter value that is not one value of its type; the cmdlet reports it as a bad argument.</summary>
internal sealed class RuleFilterException : ArgumentException
{
    public RuleFilterException(string parameter, string value, string message, Exception inner) : base(message, parameter, inner) => Value = value;

    public string Value { get; }
}
