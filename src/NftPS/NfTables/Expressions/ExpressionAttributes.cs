using System.Buffers.Binary;
using System.Text;
using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>Shared pieces of expression encoding: NFTA_DATA nests, verdicts and libnftnl-style hex.</summary>
internal static class ExpressionAttributes
{
    public const ushort DataValue = 1;   // NFTA_DATA_VALUE
    public const ushort DataVerdict = 2; // NFTA_DATA_VERDICT
    public const ushort VerdictCode = 1; // NFTA_VERDICT_CODE
    public const ushort VerdictChain = 2; // NFTA_VERDICT_CHAIN
    public const ushort VerdictChainId = 3; // NFTA_VERDICT_CHAIN_ID

    /// <summary>Reads the NFTA_DATA_VALUE inside an NFTA_*_DATA nest (empty when absent).</summary>
    public static byte[] ReadValue(NetlinkAttribute nest)
    {
        var r = nest.GetNested();
        while (r.TryRead(out var a))
            if (a.Type == DataValue) return a.GetBytes();
        return Array.Empty<byte>();
    }

    /// <summary>Writes <c>type{ NFTA_DATA_VALUE bytes }</c>.</summary>
    public static void WriteValue(NetlinkWriter w, ushort type, byte[] value)
    {
        int t = w.BeginNested(type);
        w.WriteBytes(DataValue, value);
        w.EndNested(t);
    }

    /// <summary>Reads an NFTA_DATA nest that holds either a value or a verdict.</summary>
    public static void ReadData(NetlinkAttribute nest, out byte[]? value, out NftVerdict? verdict)
    {
        value = null;
        verdict = null;
        var r = nest.GetNested();
        while (r.TryRead(out var a))
        {
            if (a.Type == DataValue) value = a.GetBytes();
            else if (a.Type == DataVerdict) verdict = ReadVerdict(a);
        }
    }

    public static NftVerdict ReadVerdict(NetlinkAttribute verdictNest)
    {
        var r = verdictNest.GetNested();
        int code = 0;
        string? chain = null;
        uint? chainId = null;
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case VerdictCode: code = a.GetBe32Signed(); break;
                case VerdictChain: chain = a.GetString(); break;
                case VerdictChainId: chainId = a.GetBe32(); break;
            }
        }
        return new NftVerdict((NftPS.NfTables.Expressions.VerdictCode)code, chain, chainId);
    }

    /// <summary>Writes NFTA_DATA_VERDICT{CODE[, CHAIN][, CHAIN_ID]} (kernel dump order: code, chain).</summary>
    public static void WriteVerdict(NetlinkWriter w, NftVerdict v)
    {
        int t = w.BeginNested(DataVerdict);
        w.WriteBe32(VerdictCode, (int)v.Code);
        if (v.Chain is not null) w.WriteString(VerdictChain, v.Chain);
        if (v.ChainId is uint id) w.WriteBe32(VerdictChainId, id);
        w.EndNested(t);
    }

    /// <summary>Writes <c>type{ VALUE }</c> or <c>type{ VERDICT{...} }</c>.</summary>
    public static void WriteData(NetlinkWriter w, ushort type, byte[]? value, NftVerdict? verdict)
    {
        int t = w.BeginNested(type);
        if (verdict is not null) WriteVerdict(w, verdict);
        else if (value is not null) w.WriteBytes(DataValue, value);
        w.EndNested(t);
    }

    /// <summary>"0x" followed by the bytes in wire order, as the newer libnftnl prints data of known size.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(2 + bytes.Length * 2);
        sb.Append("0x");
        foreach (byte b in bytes) sb.Append(b.ToString("x2"));
        return sb.ToString();
    }

    public static string Hex32(uint v) => "0x" + v.ToString("x8");

    public static uint ReadBe32(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadUInt32BigEndian(b);
}
