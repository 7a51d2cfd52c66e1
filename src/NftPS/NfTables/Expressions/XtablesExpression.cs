using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>Shared shape of the xtables compatibility expressions "match" and "target": the extension's name,
/// revision, and its private info blob (struct xt_*_info, kept as raw bytes).</summary>
public abstract record XtablesExpression : Expression
{
    public const ushort AttrName = 1, AttrRevision = 2, AttrInfo = 3;

    public string ExtensionName { get; init; } = "";
    public uint Revision { get; init; }
    public byte[] Info { get; init; } = Array.Empty<byte>();

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteString(AttrName, ExtensionName);
        writer.WriteBe32(AttrRevision, Revision);
        writer.WriteBytes(AttrInfo, Info);
    }

    internal static void DecodeInto(ReadOnlySpan<byte> data, out string name, out uint rev, out byte[] info)
    {
        name = ""; rev = 0; info = Array.Empty<byte>();
        var r = new NetlinkAttributeReader(data);
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrName: name = a.GetString(); break;
                case AttrRevision: rev = a.GetBe32(); break;
                case AttrInfo: info = a.GetBytes(); break;
            }
        }
    }

    public override string ToDebugString() => $"[ {Name} name {ExtensionName} rev {Revision} ]";
}

/// <summary>"match": an xtables match run through nft_compat.</summary>
public sealed record MatchExpression : XtablesExpression
{
    public override string Name => "match";

    internal static MatchExpression DecodeData(ReadOnlySpan<byte> data)
    {
        DecodeInto(data, out var n, out var rev, out var info);
        return new MatchExpression { ExtensionName = n, Revision = rev, Info = info };
    }
}

/// <summary>"target": an xtables target run through nft_compat.</summary>
public sealed record TargetExpression : XtablesExpression
{
    public override string Name => "target";

    internal static TargetExpression DecodeData(ReadOnlySpan<byte> data)
    {
        DecodeInto(data, out var n, out var rev, out var info);
        return new TargetExpression { ExtensionName = n, Revision = rev, Info = info };
    }
}
