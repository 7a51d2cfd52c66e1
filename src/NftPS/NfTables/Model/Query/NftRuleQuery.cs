using System.Globalization;
using System.Net;

namespace NftPS.NfTables.Model;

/// <summary>Does a rule's match on one field let a value (or some value of a filter prefix/range) through? The one
/// definition behind NftRule.Matches and Get-NftRule's filters: the rule must test the field; the value must overlap
/// one of the values the rule requires (a filter address inside a matched prefix, or a matched address inside a
/// filter prefix; a port inside a matched range or set, or a matched port inside a filter range) and must not lie
/// wholly inside a value the rule excludes (`!=`).</summary>
public static class NftRuleQuery
{
    /// <summary>The field names <see cref="NftRule.Matches"/> takes: the property names and nft's own words.</summary>
    public static string? CanonicalField(string field) => field.ToLowerInvariant() switch
    {
        "protocol" or "l4proto" => "Protocol",
        "sourceaddress" or "saddr" => "SourceAddress",
        "destinationaddress" or "daddr" => "DestinationAddress",
        "sourceport" or "sport" => "SourcePort",
        "destinationport" or "dport" => "DestinationPort",
        "inputinterface" or "iifname" or "iif" => "InputInterface",
        "outputinterface" or "oifname" or "oif" => "OutputInterface",
        "connectionstate" or "state" or "ctstate" => "ConnectionState",
        "user" or "skuid" => "User",
        _ => null,
    };

    public static bool Passes(NftRule rule, string field, object value)
    {
        string name = CanonicalField(field) ?? throw new ArgumentException(
            $"'{field}' is not a field a rule can be asked about; use Protocol, SourceAddress, DestinationAddress, SourcePort, " +
            "DestinationPort, InputInterface, OutputInterface, ConnectionState or User.", nameof(field));
        var m = rule.Facts.Matches;
        var n = rule.Facts.Not;
        switch (name)
        {
            case "SourceAddress": return AddressPasses(m.SourceAddress, n.SourceAddress, ParseAddress(value));
            case "DestinationAddress": return AddressPasses(m.DestinationAddress, n.DestinationAddress, ParseAddress(value));
            case "SourcePort": return PortPasses(m.SourcePort, n.SourcePort, ParsePort(value));
            case "DestinationPort": return PortPasses(m.DestinationPort, n.DestinationPort, ParsePort(value));
            case "User": return UserPasses(m.User, n.User, ParseUid(value));
            case "Protocol": return NamePasses(m.Protocol, n.Protocol, Text(value));
            case "InputInterface": return NamePasses(m.InputInterface, n.InputInterface, Text(value));
            case "OutputInterface": return NamePasses(m.OutputInterface, n.OutputInterface, Text(value));
            default: return NamePasses(m.ConnectionState, n.ConnectionState, Text(value));
        }
    }

    /// <summary>An address filter: one IPAddress or IPNetwork (an address or a prefix as text is parsed as one value).</summary>
    public static object ParseAddress(object value)
    {
        switch (value)
        {
            case IPAddress or IPNetwork: return value;
            case string s when IPAddress.TryParse(s, out var a) && !s.Contains('/'): return a;
            case string s when IPNetwork.TryParse(s, out var net) && CanonicalPrefix(s, net): return net;
            default: throw new ArgumentException($"'{value}' is not one IPv4/IPv6 address or prefix (such as 10.0.0.0/8).", nameof(value));
        }
    }

    // IPNetwork.TryParse accepts 10.1.2.3/8 by masking it; a filter with host bits set is more likely a typo.
    private static bool CanonicalPrefix(string text, IPNetwork net) =>
        IPAddress.TryParse(text[..text.IndexOf('/')], out var a) && a.Equals(net.BaseAddress);

    /// <summary>A port filter: one port (0-65535) or a range "1000-2000".</summary>
    public static NftPortRange ParsePort(object value)
    {
        switch (value)
        {
            case NftPortRange r: return r;
            case int or uint or ushort or long or short or byte:
            {
                long p = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                if (p is >= 0 and <= 65535) return new NftPortRange((int)p, (int)p);
                break;
            }
            case string s:
            {
                int dash = s.IndexOf('-');
                if (dash < 0 && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int one) && one <= 65535)
                    return new NftPortRange(one, one);
                if (dash > 0 && int.TryParse(s[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int a) &&
                    int.TryParse(s[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int b) && a <= b && b <= 65535)
                    return new NftPortRange(a, b);
                break;
            }
        }
        throw new ArgumentException($"'{value}' is not a port (0-65535) or a port range (1000-2000).", nameof(value));
    }

    private static uint ParseUid(object value) => value switch
    {
        uint u => u,
        int i when i >= 0 => (uint)i,
        long l when l is >= 0 and <= uint.MaxValue => (uint)l,
        string s when uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out uint u) => u,
        _ => throw new ArgumentException($"'{value}' is not a user id.", nameof(value)),
    };

    private static string Text(object value) => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    public static bool AddressPasses(object[] required, object[] excluded, object filter)
    {
        if (required.Length == 0 && excluded.Length == 0) return false;
        // `ip saddr` tests IPv4 packets only: an IPv6 filter passes no IPv4 match, even an excluding one.
        if (!required.Concat(excluded).Any(v => AddressMath.SameFamily(v, filter))) return false;
        if (required.Length > 0 && !required.Any(v => AddressMath.Overlap(v, filter))) return false;
        return !excluded.Any(v => AddressInside(filter, v));
    }

    private static bool AddressInside(object inner, object outer) =>
        AddressMath.Bounds(inner, out var f, out var l) && AddressMath.Bounds(outer, out var of, out var ol) &&
        AddressMath.Within(f, of, ol) && AddressMath.Within(l, of, ol);

    public static bool PortPasses(object[] required, object[] excluded, NftPortRange filter)
    {
        if (required.Length == 0 && excluded.Length == 0) return false;
        if (required.Length > 0 && !required.Any(v => AsRange(v) is { } r && r.Overlaps(filter))) return false;
        return !excluded.Any(v => AsRange(v) is { } r && r.First <= filter.First && filter.Last <= r.Last);
    }

    private static NftPortRange? AsRange(object v) => v switch
    {
        int p => new NftPortRange(p, p),
        NftPortRange r => r,
        _ => null,
    };

    public static bool UserPasses(uint[] required, uint[] excluded, uint uid)
    {
        if (required.Length == 0 && excluded.Length == 0) return false;
        if (required.Length > 0 && Array.IndexOf(required, uid) < 0) return false;
        return Array.IndexOf(excluded, uid) < 0;
    }

    /// <summary>Names (protocols, interfaces, states): equal ignoring case, or within a rule's interface wildcard
    /// ("eth*" takes eth0).</summary>
    public static bool NamePasses(string[] required, string[] excluded, string name)
    {
        if (required.Length == 0 && excluded.Length == 0) return false;
        if (required.Length > 0 && !required.Any(v => NameCovers(v, name))) return false;
        return !excluded.Any(v => NameCovers(v, name));
    }

    public static bool NameCovers(string ruleValue, string name) =>
        ruleValue.EndsWith('*') && !ruleValue.EndsWith("\\*", StringComparison.Ordinal)
            ? name.StartsWith(ruleValue[..^1], StringComparison.Ordinal)
            : string.Equals(ruleValue, name, StringComparison.OrdinalIgnoreCase);
}
