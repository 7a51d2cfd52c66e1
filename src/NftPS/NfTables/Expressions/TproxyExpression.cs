using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>"tproxy": transparent proxy to the address/port in registers. Family is an NFPROTO value
/// (NFPROTO_UNSPEC in inet tables when no address is given).</summary>
public sealed record TproxyExpression : Expression
{
    public const ushort AttrFamily = 1, AttrAddressRegister = 2, AttrPortRegister = 3;

    public override string Name => "tproxy";
    public uint Family { get; init; }
    public uint? AddressRegister { get; init; }
    public uint? PortRegister { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrFamily, Family);
        if (AddressRegister is uint a) writer.WriteBe32(AttrAddressRegister, a);
        if (PortRegister is uint p) writer.WriteBe32(AttrPortRegister, p);
    }

    internal static TproxyExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new TproxyExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrFamily: e = e with { Family = a.GetBe32() }; break;
                case AttrAddressRegister: e = e with { AddressRegister = a.GetBe32() }; break;
                case AttrPortRegister: e = e with { PortRegister = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Tproxy(this);
}
