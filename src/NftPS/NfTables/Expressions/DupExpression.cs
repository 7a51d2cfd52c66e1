using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>"dup": duplicates the packet to the address/device in registers.</summary>
public sealed record DupExpression : Expression
{
    public const ushort AttrAddressRegister = 1, AttrDeviceRegister = 2;

    public override string Name => "dup";
    public uint? AddressRegister { get; init; }
    public uint? DeviceRegister { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        if (AddressRegister is uint a) writer.WriteBe32(AttrAddressRegister, a);
        if (DeviceRegister is uint d) writer.WriteBe32(AttrDeviceRegister, d);
    }

    internal static DupExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new DupExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrAddressRegister: e = e with { AddressRegister = a.GetBe32() }; break;
                case AttrDeviceRegister: e = e with { DeviceRegister = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Dup(this);
}
