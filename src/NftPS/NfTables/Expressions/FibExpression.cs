using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_FIB_RESULT_*.</summary>
public enum FibResult : uint { Unspecified = 0, Oif = 1, OifName = 2, AddressType = 3 }

/// <summary>NFTA_FIB_F_*.</summary>
[Flags]
public enum FibFlags : uint { None = 0, SourceAddress = 1, DestinationAddress = 2, Mark = 4, Iif = 8, Oif = 16, Present = 32 }

/// <summary>"fib": FIB lookup.</summary>
public sealed record FibExpression : Expression
{
    public const ushort AttrDestinationRegister = 1, AttrResult = 2, AttrFlags = 3;

    public override string Name => "fib";
    public uint DestinationRegister { get; init; }
    public FibResult Result { get; init; }
    public FibFlags Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
        writer.WriteBe32(AttrResult, (uint)Result);
        writer.WriteBe32(AttrFlags, (uint)Flags);
    }

    internal static FibExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new FibExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrResult: e = e with { Result = (FibResult)a.GetBe32() }; break;
                case AttrFlags: e = e with { Flags = (FibFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Fib(this);
}
