using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>"flow_offload" (nft's `flow add @ft`): offloads the flow to the named flowtable.</summary>
public sealed record FlowOffloadExpression : Expression
{
    public const ushort AttrTableName = 1;

    public override string Name => "flow_offload";
    public string FlowtableName { get; init; } = "";

    public override void EncodeData(NetlinkWriter writer) => writer.WriteString(AttrTableName, FlowtableName);

    internal static FlowOffloadExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new FlowOffloadExpression();
        while (r.TryRead(out var a))
            if (a.Type == AttrTableName) e = e with { FlowtableName = a.GetString() };
        return e;
    }

    public override string ToDebugString() => $"[ flow_offload {FlowtableName} ]";
}
