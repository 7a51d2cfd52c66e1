using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>An expression whose name has no registered decoder. <see cref="RawData"/> is the payload of
/// NFTA_EXPR_DATA exactly as received, so it re-encodes to identical bytes.</summary>
public sealed record UnknownExpression(string Name, byte[] RawData) : Expression
{
    public override string Name { get; } = Name;

    public override void EncodeData(NetlinkWriter writer) => writer.WriteRaw(RawData);

    public override string ToDebugString() => $"[ {Name} ]";
}
