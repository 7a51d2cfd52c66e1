using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NF_SYNPROXY_OPT_* flags.</summary>
[Flags]
public enum SynproxyFlags : uint { None = 0, Mss = 0x01, WindowScale = 0x02, SackPermitted = 0x04, Timestamp = 0x08, Ecn = 0x10 }

/// <summary>"synproxy". MSS is be16, WSCALE a u8.</summary>
public sealed record SynproxyExpression : Expression
{
    public const ushort AttrMss = 1, AttrWindowScale = 2, AttrFlags = 3;

    public override string Name => "synproxy";
    public ushort? Mss { get; init; }
    public byte? WindowScale { get; init; }
    public SynproxyFlags? Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        if (Mss is ushort m) writer.WriteBe16(AttrMss, m);
        if (WindowScale is byte w) writer.WriteU8(AttrWindowScale, w);
        if (Flags is SynproxyFlags f) writer.WriteBe32(AttrFlags, (uint)f);
    }

    internal static SynproxyExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new SynproxyExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrMss: e = e with { Mss = a.GetBe16() }; break;
                case AttrWindowScale: e = e with { WindowScale = a.GetU8() }; break;
                case AttrFlags: e = e with { Flags = (SynproxyFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() =>
        $"[ synproxy mss {Mss ?? 0} wscale {WindowScale ?? 0} ]"; // libnftnl does not print the flags
}
