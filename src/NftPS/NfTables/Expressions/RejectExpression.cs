using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_REJECT_*.</summary>
public enum RejectType : uint { IcmpUnreachable = 0, TcpReset = 1, IcmpxUnreachable = 2 }

/// <summary>"reject". ICMP_CODE is a u8 (for icmpx: NFT_REJECT_ICMPX_*).</summary>
public sealed record RejectExpression : Expression
{
    public const ushort AttrType = 1, AttrIcmpCode = 2;

    public override string Name => "reject";
    public RejectType Type { get; init; }
    public byte? IcmpCode { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrType, (uint)Type);
        if (IcmpCode is byte c) writer.WriteU8(AttrIcmpCode, c);
    }

    internal static RejectExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new RejectExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrType: e = e with { Type = (RejectType)a.GetBe32() }; break;
                case AttrIcmpCode: e = e with { IcmpCode = a.GetU8() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => $"[ reject type {(uint)Type} code {IcmpCode ?? 0} ]";
}
