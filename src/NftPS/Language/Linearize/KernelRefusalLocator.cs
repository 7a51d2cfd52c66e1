using System.Buffers.Binary;
using NftPS.Language.Syntax;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Writing;

namespace NftPS.Language.Linearize;

/// <summary>Maps the kernel's extended-ack offset inside a NEWRULE message back to rule text: the offset falls in one
/// NFTA_LIST_ELEM of NFTA_RULE_EXPRESSIONS, that element is the n-th expression, and the compiler remembered which
/// statement produced each expression. The answer is nft's error layout, caret under that statement.</summary>
internal static class KernelRefusalLocator
{
    public static Func<int, string?>? For(BatchOperation op, CompiledRule rule)
    {
        if (rule.ExpressionSpans.Count != rule.Expressions.Count || rule.Expressions.Count == 0) return null;
        return offset =>
        {
            int index = ExpressionIndex(Encode(op), offset);
            if (index < 0 || index >= rule.ExpressionSpans.Count) return null;
            var span = rule.ExpressionSpans[index];
            if (span.Source is null) return null;
            return NftLanguageException.Format(span, $"refused by the kernel: expression {index + 1} ({rule.Expressions[index].Name}) of this rule");
        };
    }

    /// <summary>The message exactly as the batch sends it (the offset counts from its nlmsghdr).</summary>
    private static byte[] Encode(BatchOperation op)
    {
        var w = new NetlinkWriter(1024);
        NftOperationEncoder.WriteMessage(w, op.Operation, 0, 0);
        return w.ToArray();
    }

    /// <summary>Which expression of NFTA_RULE_EXPRESSIONS holds <paramref name="offset"/>, or -1.</summary>
    public static int ExpressionIndex(ReadOnlySpan<byte> message, int offset)
    {
        int pos = NetlinkConstants.HeaderLength + NetlinkConstants.NfGenMsgLength;
        while (pos + 4 <= message.Length)
        {
            int len = BinaryPrimitives.ReadUInt16LittleEndian(message[pos..]);
            int type = BinaryPrimitives.ReadUInt16LittleEndian(message[(pos + 2)..]) & NetlinkConstants.NlaTypeMask;
            if (len < 4) return -1;
            if (type == Nfta.Rule.Expressions && offset >= pos && offset < pos + len)
            {
                int p = pos + 4, index = 0;
                while (p + 4 <= pos + len)
                {
                    int elen = BinaryPrimitives.ReadUInt16LittleEndian(message[p..]);
                    if (elen < 4) return -1;
                    if (offset >= p && offset < p + elen) return index;
                    p += NetlinkConstants.Align(elen);
                    index++;
                }
                return -1;
            }
            pos += NetlinkConstants.Align(len);
        }
        return -1;
    }
}
