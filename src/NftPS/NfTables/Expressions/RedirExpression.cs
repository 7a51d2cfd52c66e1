using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>"redir": redirect to the local machine, optionally to a port range from registers.</summary>
public sealed record RedirExpression : Expression
{
    public const ushort AttrProtoMinRegister = 1, AttrProtoMaxRegister = 2, AttrFlags = 3;

    public override string Name => "redir";
    public uint? ProtoMinRegister { get; init; }
    public uint? ProtoMaxRegister { get; init; }
    public NatRangeFlags? Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        if (ProtoMinRegister is uint p1) writer.WriteBe32(AttrProtoMinRegister, p1);
        if (ProtoMaxRegister is uint p2) writer.WriteBe32(AttrProtoMaxRegister, p2);
        if (Flags is NatRangeFlags f) writer.WriteBe32(AttrFlags, (uint)f);
    }

    internal static RedirExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new RedirExpression();
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

    public override string ToDebugString() => DebugFormat.MasqRedir("redir", Flags, ProtoMinRegister, ProtoMaxRegister);
}
