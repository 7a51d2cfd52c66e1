using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_BYTEORDER_NTOH / HTON.</summary>
public enum ByteorderOperator : uint { NetworkToHost = 0, HostToNetwork = 1 }

/// <summary>"byteorder": converts LEN bytes in units of SIZE (2, 4 or 8) between host and network order.</summary>
public sealed record ByteorderExpression : Expression
{
    public const ushort AttrSourceRegister = 1, AttrDestinationRegister = 2, AttrOperator = 3, AttrLength = 4, AttrSize = 5;

    public override string Name => "byteorder";
    public uint SourceRegister { get; init; }
    public uint DestinationRegister { get; init; }
    public ByteorderOperator Operator { get; init; }
    public uint Length { get; init; }
    public uint Size { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrSourceRegister, SourceRegister);
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
        writer.WriteBe32(AttrOperator, (uint)Operator);
        writer.WriteBe32(AttrLength, Length);
        writer.WriteBe32(AttrSize, Size);
    }

    internal static ByteorderExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new ByteorderExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrOperator: e = e with { Operator = (ByteorderOperator)a.GetBe32() }; break;
                case AttrLength: e = e with { Length = a.GetBe32() }; break;
                case AttrSize: e = e with { Size = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() =>
        $"[ byteorder reg {DestinationRegister} = {(Operator == ByteorderOperator.HostToNetwork ? "hton" : "ntoh")}(reg {SourceRegister}, {Size}, {Length}) ]";
}
