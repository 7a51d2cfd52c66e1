using NftPS.Netlink;
using NftPS.NfTables.Operations;

namespace NftPS.NfTables;

/// <summary>One message of a batch: a typed operation (what it does, for -WhatIf and error messages), encoded only
/// when the batch is sent.</summary>
public sealed class BatchOperation
{
    private string? _description;
    private string? _command;

    internal BatchOperation(NftOperation operation) => Operation = operation;

    /// <summary>The change this message makes.</summary>
    internal NftOperation Operation { get; private set; }

    /// <summary>A later message of the same batch changed what this one must send (a set a rule updates).</summary>
    internal void Replace(NftOperation operation)
    {
        Operation = operation;
        _description = null;
        _command = null;
    }

    public NfTablesMessageType Type => NftOperationEncoder.MessageType(Operation);
    public ushort Flags => NftOperationEncoder.Flags(Operation);
    public NftFamily Family => Operation.Family;
    /// <summary>The nft command this message carries out, e.g. "add rule inet filter output tcp dport 22 accept"
    /// (long element lists shortened: this names the operation in errors).</summary>
    public string Description => _description ??= Operation.DescriptionIsWhole ? CommandText : Operation.Describe();
    /// <summary>The whole nft command (what -WhatIf shows); written once, when first read.</summary>
    public string CommandText => _command ??= Operation.ToCommandText();
    /// <summary>Writes the message's attributes (the encoder's work; kept for callers that frame the message themselves).</summary>
    public void WriteAttributes(NetlinkWriter w) => NftOperationEncoder.WriteAttributes(w, Operation);
    /// <summary>Set by whoever built the message from source text: given the extended-ack offset of the attribute
    /// the kernel refused (counted from this message's nlmsghdr), the source with a caret under what produced it.</summary>
    public Func<int, string?>? LocateRefusal { get; set; }
    public override string ToString() => Description;

    /// <summary>The caret text for a refusal at <paramref name="offset"/>, when it can be located.</summary>
    public string? Locate(int? offset) => offset is { } o && LocateRefusal is { } f ? f(o) : null;
}

public sealed record BatchOptions
{
    /// <summary>Leave out BATCH_END: the kernel checks everything and then aborts (what nft -c does).</summary>
    public bool CheckOnly { get; init; }
    /// <summary>Non-zero: the kernel refuses the batch with ERESTART unless the ruleset is still at this generation.</summary>
    public uint GenerationId { get; init; }
    /// <summary>Ask the kernel to echo created objects (their handles) back.</summary>
    public bool Echo { get; init; }
}

public sealed record BatchError(int Index, int Errno, string? KernelMessage, int? Offset, BatchOperation? Operation)
{
    public string Describe()
    {
        string where = Operation is null ? (Index < 0 ? "batch" : "commit") : $"operation {Index + 1} ({Operation.Description})";
        string text = $"{where}: {Errors.Describe(Errno)}";
        if (!string.IsNullOrEmpty(KernelMessage)) text += $" — kernel says: {KernelMessage}";
        if (Operation?.Locate(Offset) is { } caret) text += "\n" + caret;
        return text;
    }
}

/// <summary>The kernel's answer to a batch. <paramref name="FirstSequence"/> is BEGIN's sequence number; operation i
/// was sent as FirstSequence + 1 + i, which is how echoes are matched to operations.</summary>
public sealed record BatchResult(IReadOnlyList<BatchError> Errors, IReadOnlyList<byte[]> Echoes, uint FirstSequence = 0)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>A list of nf_tables changes that the kernel applies all together or not at all.</summary>
public sealed partial class NftBatch
{
    private readonly List<BatchOperation> _operations = new();

    public int Count => _operations.Count;
    public BatchOperation this[int index] => _operations[index];
    public IReadOnlyList<BatchOperation> Operations => _operations;

    /// <summary>Queues <paramref name="operation"/> after checking it is complete (names valid, required parts there).</summary>
    internal BatchOperation Add(NftOperation operation, Func<int, string?>? locateRefusal = null)
    {
        operation.Validate();
        var op = new BatchOperation(operation) { LocateRefusal = locateRefusal };
        if (operation is RuleOperation rule) MarkSetsUpdatedBy(rule);
        _operations.Add(op);
        return op;
    }

    /// <summary>The typed operations, in order.</summary>
    internal IEnumerable<NftOperation> TypedOperations => _operations.Select(o => o.Operation);

    public void Clear() => _operations.Clear();

    /// <summary>The batch as nft commands, one per line (what -WhatIf shows): every value quoted, so the text parses
    /// back to the same operations. Operations implied by another (a rule's anonymous set) are written by it.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, _operations.Where(o => !o.Operation.IsImplied).Select(o => o.CommandText));

    /// <summary>BEGIN, the messages with sequence numbers begin+1…, END. The last message asks for an ack so the
    /// reader knows when the kernel's answer is complete.</summary>
    public byte[] Encode(uint beginSequence, BatchOptions options)
    {
        var w = new NetlinkWriter(4096 + _operations.Count * 128);
        EncodeInto(w, beginSequence, options);
        return w.ToArray();
    }

    /// <summary>Appends the encoded batch to <paramref name="w"/> (a writer the caller reuses, so big batches do not
    /// allocate and fault in a fresh buffer every time).</summary>
    public void EncodeInto(NetlinkWriter w, uint beginSequence, BatchOptions options)
    {
        int t = w.BeginMessage(NetlinkConstants.NFNL_MSG_BATCH_BEGIN, NetlinkConstants.NLM_F_REQUEST, beginSequence, 0,
            NetlinkConstants.NFNL_SUBSYS_NFTABLES);
        if (options.GenerationId != 0) w.WriteBe32(NetlinkConstants.NFNL_BATCH_GENID, options.GenerationId);
        w.EndMessage(t);
        for (int i = 0; i < _operations.Count; i++)
        {
            var op = _operations[i];
            ushort flags = NetlinkConstants.NLM_F_REQUEST;
            if (i == _operations.Count - 1) flags |= NetlinkConstants.NLM_F_ACK;
            if (options.Echo) flags |= NetlinkConstants.NLM_F_ECHO;
            NftOperationEncoder.WriteMessage(w, op.Operation, flags, beginSequence + 1 + (uint)i);
        }
        if (!options.CheckOnly)
        {
            int e = w.BeginMessage(NetlinkConstants.NFNL_MSG_BATCH_END, NetlinkConstants.NLM_F_REQUEST,
                beginSequence + 1 + (uint)_operations.Count, 0, NetlinkConstants.NFNL_SUBSYS_NFTABLES);
            w.EndMessage(e);
        }
    }
}
