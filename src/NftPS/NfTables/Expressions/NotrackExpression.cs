using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>"notrack": no attributes.</summary>
public sealed record NotrackExpression : Expression
{
    public override string Name => "notrack";
    public override void EncodeData(NetlinkWriter writer) { }
    internal static NotrackExpression DecodeData(ReadOnlySpan<byte> data) => new();
    public override string ToDebugString() => "[ notrack ]";
}
