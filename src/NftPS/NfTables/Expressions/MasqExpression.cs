using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>"masq": masquerade, optionally to a port range from registers.</summary>
public sealed record MasqExpression : Expression
{
    public const ushort AttrFlags = 1, AttrProtoMinRegister = 2, AttrProtoMaxRegister = 3;

    public override string Name => "masq";
    public NatRangeFlags? Flags { get; init; }
    public uint? ProtoMinRegister { get; init; }
    public uint? ProtoMaxRegister { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        if (Flags is NatRangeFlags f) writer.WriteBe32(AttrFlags, (uint)f);
        if (ProtoMinRegister is uint p1) writer.WriteBe32(AttrProtoMinRegister, p1);
        if (ProtoMaxRegister is uint p2) writer.WriteBe32(AttrProtoMaxRegister, p2);
    }

    internal static MasqExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new MasqExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrFlags: e = e with { Flags = (NatRangeFlags)a.GetBe32() }; break;
                case AttrProtoMinRegister: e = e with { ProtoMinRegister = a.GetBe32() }; break;
                case AttrProtoMaxRegister: e = e with { ProtoMaxRegister = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.MasqRedir("masq", Flags, ProtoMinRegister, ProtoMaxRegister);
}
