using System.Net;
using System.Numerics;

namespace NftPS.NfTables.Model;

/// <summary>An inclusive range of addresses a rule matches (`ip saddr 10.0.0.1-10.0.0.9`) that is not one prefix
/// (a prefix is listed as <see cref="IPNetwork"/>, one address as <see cref="IPAddress"/>).</summary>
public sealed record NftAddressRange(IPAddress First, IPAddress Last)
{
    public bool Contains(IPAddress address) => AddressMath.Within(address, First, Last);

    public override string ToString() => First + "-" + Last;
}

/// <summary>Addresses as numbers, for the containment and overlap tests of the rule query.</summary>
public static class AddressMath
{
    public static BigInteger ToNumber(IPAddress a) => new(a.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    public static bool Within(IPAddress a, IPAddress first, IPAddress last)
    {
        if (a.AddressFamily != first.AddressFamily) return false;
        var n = ToNumber(a);
        return n >= ToNumber(first) && n <= ToNumber(last);
    }

    /// <summary>The first and last address of a matched value (an address, a prefix or a range); false for anything else.</summary>
    public static bool Bounds(object? value, out IPAddress first, out IPAddress last)
    {
        switch (value)
        {
            case IPAddress a:
                first = last = a;
                return true;
            case IPNetwork n:
            {
                first = n.BaseAddress;
                byte[] bytes = n.BaseAddress.GetAddressBytes();
                int bits = bytes.Length * 8;
                for (int i = n.PrefixLength; i < bits; i++) bytes[i / 8] |= (byte)(0x80 >> (i % 8));
                last = new IPAddress(bytes);
                return true;
            }
            case NftAddressRange r:
                first = r.First;
                last = r.Last;
                return true;
            default:
                first = last = IPAddress.None;
                return false;
        }
    }

    public static bool SameFamily(object? a, object? b) =>
        Bounds(a, out var af, out _) && Bounds(b, out var bf, out _) && af.AddressFamily == bf.AddressFamily;

    /// <summary>True when two matched values (address, prefix or range) have an address in common.</summary>
    public static bool Overlap(object? a, object? b)
    {
        if (!Bounds(a, out var af, out var al) || !Bounds(b, out var bf, out var bl)) return false;
        if (af.AddressFamily != bf.AddressFamily) return false;
        return ToNumber(af) <= ToNumber(bl) && ToNumber(bf) <= ToNumber(al);
    }
}
