using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_NAT_SNAT / NFT_NAT_DNAT.</summary>
public enum NatType : uint { Snat = 0, Dnat = 1 }

/// <summary>NF_NAT_RANGE_* flags (used by nat, masq and redir).</summary>
[Flags]
public enum NatRangeFlags : uint
{
    None = 0, MapIps = 0x01, ProtoSpecified = 0x02, ProtoRandom = 0x04, Persistent = 0x08, ProtoRandomFully = 0x10,
    ProtoOffset = 0x20, Netmap = 0x40,
}

/// <summary>"nat": snat/dnat from registers loaded by earlier immediates. Family is an NFPROTO value.</summary>
public sealed record NatExpression : Expression
{
    public const ushort AttrType = 1, AttrFamily = 2, AttrAddressMinRegister = 3, AttrAddressMaxRegister = 4,
        AttrProtoMinRegister = 5, AttrProtoMaxRegister = 6, AttrFlags = 7;

    public override string Name => "nat";
    public NatType Type { get; init; }
    public uint Family { get; init; }
    public uint? AddressMinRegister { get; init; }
    public uint? AddressMaxRegister { get; init; }
    public uint? ProtoMinRegister { get; init; }
    public uint? ProtoMaxRegister { get; init; }
    public NatRangeFlags? Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrType, (uint)Type);
        writer.WriteBe32(AttrFamily, Family);
        if (AddressMinRegister is uint a1) writer.WriteBe32(AttrAddressMinRegister, a1);
        if (AddressMaxRegister is uint a2) writer.WriteBe32(AttrAddressMaxRegister, a2);
        if (ProtoMinRegister is uint p1) writer.WriteBe32(AttrProtoMinRegister, p1);
        if (ProtoMaxRegister is uint p2) writer.WriteBe32(AttrProtoMaxRegister, p2);
        if (Flags is NatRangeFlags f) writer.WriteBe32(AttrFlags, (uint)f);
    }

    internal static NatExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new NatExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrType: e = e with { Type = (NatType)a.GetBe32() }; break;
                case AttrFamily: e = e with { Family = a.GetBe32() }; break;
                case AttrAddressMinRegister: e = e with { AddressMinRegister = a.GetBe32() }; break;
                case AttrAddressMaxRegister: e = e with { AddressMaxRegister = a.GetBe32() }; break;
                case AttrProtoMinRegister: e = e with { ProtoMinRegister = a.GetBe32() }; break;
                case AttrProtoMaxRegister: e = e with { ProtoMaxRegister = a.GetBe32() }; break;
                case AttrFlags: e = e with { Flags = (NatRangeFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Nat(this);
}
