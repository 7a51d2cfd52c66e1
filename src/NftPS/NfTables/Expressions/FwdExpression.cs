using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>"fwd" (netdev): forwards to the device in a register, optionally via a next-hop address (Family = NFPROTO).</summary>
public sealed record FwdExpression : Expression
{
    public const ushort AttrDeviceRegister = 1, AttrAddressRegister = 2, AttrFamily = 3;

    public override string Name => "fwd";
    public uint? DeviceRegister { get; init; }
    public uint? AddressRegister { get; init; }
    public uint? Family { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        if (DeviceRegister is uint d) writer.WriteBe32(AttrDeviceRegister, d);
        if (AddressRegister is uint a) writer.WriteBe32(AttrAddressRegister, a);
        if (Family is uint f) writer.WriteBe32(AttrFamily, f);
    }

    internal static FwdExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new FwdExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrDeviceRegister: e = e with { DeviceRegister = a.GetBe32() }; break;
                case AttrAddressRegister: e = e with { AddressRegister = a.GetBe32() }; break;
                case AttrFamily: e = e with { Family = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Fwd(this);
}
