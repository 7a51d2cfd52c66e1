using System.Globalization;

namespace NftPS.NfTables.Model;

/// <summary>An inclusive range of port numbers a rule matches (`tcp dport 1000-2000`, or `tcp dport < 1024` as 0-1023).
/// A single port is listed as a plain int instead, so `Where DestinationPort -contains 443` compares numbers.
/// Compares with ints and other ranges by its first port, so mixed lists sort.</summary>
public readonly record struct NftPortRange(int First, int Last) : IComparable, IComparable<NftPortRange>
{
    public bool Contains(int port) => port >= First && port <= Last;

    /// <summary>True when the two ranges have a port in common.</summary>
    public bool Overlaps(NftPortRange other) => First <= other.Last && other.First <= Last;

    public int CompareTo(NftPortRange other) => First != other.First ? First.CompareTo(other.First) : Last.CompareTo(other.Last);

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        NftPortRange r => CompareTo(r),
        int p => CompareTo(new NftPortRange(p, p)),
        IConvertible c => CompareTo(new NftPortRange(c.ToInt32(CultureInfo.InvariantCulture), c.ToInt32(CultureInfo.InvariantCulture))),
        _ => throw new ArgumentException($"A port range compares with ports and port ranges, not {obj.GetType().Name}."),
    };

    public override string ToString() => First.ToString(CultureInfo.InvariantCulture) + "-" + Last.ToString(CultureInfo.InvariantCulture);
}
