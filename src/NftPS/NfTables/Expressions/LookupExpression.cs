using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_LOOKUP_F_*.</summary>
[Flags]
public enum LookupFlags : uint { None = 0, Invert = 1 }

/// <summary>"lookup": set membership test, or map lookup into DestinationRegister (0 for a verdict map).</summary>
public sealed record LookupExpression : Expression
{
    public const ushort AttrSet = 1, AttrSourceRegister = 2, AttrDestinationRegister = 3, AttrSetId = 4, AttrFlags = 5;

    public override string Name => "lookup";
    public string SetName { get; init; } = "";
    public uint? SetId { get; init; }
    public uint SourceRegister { get; init; }
    public uint? DestinationRegister { get; init; }
    public LookupFlags? Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        // Kernel dump: SET, SREG, [DREG], FLAGS. SET_ID is only ever sent, after SET as nft does.
        writer.WriteString(AttrSet, SetName);
        if (SetId is uint id) writer.WriteBe32(AttrSetId, id);
        writer.WriteBe32(AttrSourceRegister, SourceRegister);
        if (DestinationRegister is uint dreg) writer.WriteBe32(AttrDestinationRegister, dreg);
        if (Flags is LookupFlags f) writer.WriteBe32(AttrFlags, (uint)f);
    }

    internal static LookupExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new LookupExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrSet: e = e with { SetName = a.GetString() }; break;
                case AttrSetId: e = e with { SetId = a.GetBe32() }; break;
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrFlags: e = e with { Flags = (LookupFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Lookup(this);
}
