using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>"last": when the rule/element last matched. Set = 1 once it has; Milliseconds = time since then (be64).</summary>
public sealed record LastExpression : Expression
{
    public const ushort AttrSet = 1, AttrMilliseconds = 2, AttrPad = 3;

    public override string Name => "last";
    public uint? Set { get; init; }
    public ulong? Milliseconds { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        if (Set is uint s) writer.WriteBe32(AttrSet, s);
        if (Milliseconds is ulong ms) writer.WriteBe64(AttrMilliseconds, ms);
    }

    internal static LastExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new LastExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrSet: e = e with { Set = a.GetBe32() }; break;
                case AttrMilliseconds: e = e with { Milliseconds = a.GetBe64() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => (Set ?? 0) == 0 ? "[ last never ]" : $"[ last {Milliseconds ?? 0} ]";
}
