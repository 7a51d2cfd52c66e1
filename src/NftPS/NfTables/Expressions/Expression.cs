using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>One kernel expression of a rule, set or element. Each kind is its own sealed record with its
/// own encode/decode (see <see cref="ExpressionCodec"/> for the registry by name).</summary>
public abstract record Expression
{
    /// <summary>The kernel's name for the kind (NFTA_EXPR_NAME): "payload", "cmp", "meta"...</summary>
    public abstract string Name { get; }

    /// <summary>Writes the attributes that go inside NFTA_EXPR_DATA, in the order the kernel dumps them.</summary>
    public abstract void EncodeData(NetlinkWriter writer);

    /// <summary>libnftnl's text form, e.g. "[ payload load 2b @ transport header + 2 => reg 1 ]".</summary>
    public abstract string ToDebugString();

    /// <summary>Whether NFTA_EXPR_DATA is written. The kernel leaves it out for kinds without a dump function
    /// (notrack); decoding records what was there so re-encoding gives identical bytes. nft always sends it.</summary>
    public bool HasDataAttribute { get; init; } = true;

    /// <summary>Same kind and same bytes on the wire. Record equality compares byte[] members by reference and
    /// includes display-only hints, so use this to compare expressions by content.</summary>
    public bool WireEquals(Expression? other)
    {
        if (other is null || other.Name != Name || other.HasDataAttribute != HasDataAttribute) return false;
        var a = new NetlinkWriter(256);
        var b = new NetlinkWriter(256);
        EncodeData(a);
        other.EncodeData(b);
        return a.WrittenSpan.SequenceEqual(b.WrittenSpan);
    }
}

/// <summary>Verdict codes (NF_DROP 0, NF_ACCEPT 1, NF_QUEUE 3, NFT_CONTINUE -1, NFT_BREAK -2, NFT_JUMP -3, NFT_GOTO -4, NFT_RETURN -5).</summary>
public enum VerdictCode
{
    Drop = 0, Accept = 1, Stolen = 2, Queue = 3, Repeat = 4, Stop = 5,
    Continue = -1, Break = -2, Jump = -3, Goto = -4, Return = -5,
}

/// <summary>A verdict as carried in NFTA_DATA_VERDICT: a code and, for jump/goto, the chain.</summary>
public sealed record NftVerdict(VerdictCode Code, string? Chain = null, uint? ChainId = null)
{
    /// <summary>nft's text: accept, drop, continue, return, jump NAME, goto NAME, queue.</summary>
    public override string ToString() => Code switch
    {
        VerdictCode.Accept => "accept",
        VerdictCode.Drop => "drop",
        VerdictCode.Queue => "queue",
        VerdictCode.Continue => "continue",
        VerdictCode.Break => "break",
        VerdictCode.Return => "return",
        // A chain name that is not a plain word is quoted (and escaped when no nft text can hold it), so a name
        // made by another tool never reads as more of the rule.
        VerdictCode.Jump => $"jump {(Chain is null ? "" : Model.NftIdentifier.Display(Chain))}",
        VerdictCode.Goto => $"goto {(Chain is null ? "" : Model.NftIdentifier.Display(Chain))}",
        VerdictCode.Stolen => "stolen",
        _ => $"verdict {(int)Code}",
    };
}
