using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_INNER_* tunnel types.</summary>
public enum InnerType : uint { Unspecified = 0, Vxlan = 1, Geneve = 2 }

/// <summary>NFT_INNER_* flags: which inner headers are parsed.</summary>
[Flags]
public enum InnerFlags : uint { None = 0, HeaderSize = 1, LinkLayer = 2, Network = 4, Transport = 8 }

/// <summary>"inner": runs a payload or meta expression (<see cref="Body"/>) on the packet inside a tunnel
/// (vxlan, geneve...). NFTA_INNER_EXPR holds NAME+DATA directly.</summary>
public sealed record InnerExpression : Expression
{
    public const ushort AttrNumber = 1, AttrType = 2, AttrFlags = 3, AttrHeaderSize = 4, AttrExpression = 5;

    public override string Name => "inner";
    public uint Number { get; init; }
    public InnerType Type { get; init; }
    public InnerFlags Flags { get; init; }
    public uint HeaderSize { get; init; }
    public Expression? Body { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrNumber, Number);
        writer.WriteBe32(AttrType, (uint)Type);
        writer.WriteBe32(AttrFlags, (uint)Flags);
        writer.WriteBe32(AttrHeaderSize, HeaderSize);
        if (Body is not null) ExpressionCodec.EncodeSingle(writer, AttrExpression, Body);
    }

    internal static InnerExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new InnerExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrNumber: e = e with { Number = a.GetBe32() }; break;
                case AttrType: e = e with { Type = (InnerType)a.GetBe32() }; break;
                case AttrFlags: e = e with { Flags = (InnerFlags)a.GetBe32() }; break;
                case AttrHeaderSize: e = e with { HeaderSize = a.GetBe32() }; break;
                case AttrExpression: e = e with { Body = ExpressionCodec.DecodeSingle(a.Payload) }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Inner(this);
}
