using System.Buffers.Binary;
using NftPS.Interop;
using NftPS.Netlink;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.NfTables.Rollback;

/// <summary>The namespace file no longer is the namespace the change was made in (deleted and re-created, or gone):
/// the rollback does nothing rather than touch another namespace.</summary>
public sealed class RollbackNamespaceChangedException : Exception
{
    public RollbackNamespaceChangedException(string message) : base(message) { }
}

/// <summary>Sends a pending change's restore batch: the pre-encoded messages, framed by BEGIN and END with fresh
/// sequence numbers. Nothing is compiled here: the only new messages are the elements the dynamic sets hold now,
/// copied from a dump of them.</summary>
internal static class RollbackReplay
{
    public static RollbackOutcome Restore(PendingChangeState state, byte[] restore, string by, CancellationToken cancellation = default)
    {
        var outcome = new RollbackOutcome { AtUtc = DateTime.UtcNow, By = by };
        CheckNamespace(state);
        using var connection = NfTablesConnection.Open(state.NamespacePath);
        INftBackend backend = connection;
        var scope = state.Tables.Select(t => new ScopedTable(t.Family, t.Name)).ToList();
        var now = RollbackScope.Read(backend, scope, includeElements: true, cancellation);
        outcome.GenerationAtRollback = now.Generation;
        string fingerprint = RollbackScope.Fingerprint(now);
        if (fingerprint != state.FingerprintAfter)
        {
            outcome.Drift = true;
            outcome.DriftDetail = $"The tables {string.Join(", ", scope)} were changed by someone else after the change " +
                $"(generation {state.GenerationAfter} then, {now.Generation} at the rollback); they were restored to their state before the change all the same.";
        }

        var preserved = new List<string>();
        byte[] batch = Compose(state, restore, now, state.PreserveDynamicSets, preserved);
        var errors = Send(connection, batch, cancellation);
        if (errors.Count > 0 && preserved.Count > 0)
        {
            // The sets' current elements do not fit the restored sets (the change redefined them): restore the
            // snapshot's elements instead, so the rollback itself still happens.
            preserved.Clear();
            errors = Send(connection, Compose(state, restore, now, preserveDynamic: false, preserved), cancellation);
        }
        if (errors.Count > 0) outcome.Error = "The kernel refused the restore batch: " + string.Join("; ", errors);
        outcome.PreservedSets = preserved;
        return outcome;
    }

    /// <summary>Refuses unless the namespace file is still the one armed (same device and inode).</summary>
    public static void CheckNamespace(PendingChangeState state)
    {
        var identity = FileIdentity.Of(state.NamespacePath);
        if (identity is null)
            throw new RollbackNamespaceChangedException($"The network namespace file {state.NamespacePath} is gone: nothing was rolled back.");
        if (identity.Value.Device != state.NamespaceDevice || identity.Value.Inode != state.NamespaceInode)
            throw new RollbackNamespaceChangedException(
                $"{state.NamespacePath} is now another network namespace (inode {identity.Value.Inode}, armed in {state.NamespaceInode}): nothing was rolled back.");
    }

    private static byte[] Compose(PendingChangeState state, byte[] restore, NftRuleset now, bool preserveDynamic, List<string> preserved)
    {
        var w = new NetlinkWriter(restore.Length + 4096);
        w.WriteRaw(restore.AsSpan(state.Core.Offset, state.Core.Length));
        foreach (var d in state.DynamicSets)
        {
            if (preserveDynamic && now.FindSet(d.Family, d.Table, d.Set) is { } current)
            {
                RestoreBatchBuilder.EncodeElements(w, current, current.Elements);
                preserved.Add($"{d.Family.ToKeyword()} {d.Table} {d.Set}");
            }
            else w.WriteRaw(restore.AsSpan(d.Elements.Offset, d.Elements.Length));
        }
        return w.ToArray();
    }

    /// <summary>BEGIN, the messages (sequence numbers rewritten, ACK on the last), END; the kernel's errors as text.</summary>
    private static List<string> Send(NfTablesConnection connection, byte[] messages, CancellationToken cancellation)
    {
        var socket = connection.Socket;
        int count = 0;
        for (int at = 0; at < messages.Length; count++)
            at += NetlinkConstants.Align((int)BinaryPrimitives.ReadUInt32LittleEndian(messages.AsSpan(at)));
        var errors = new List<string>();
        if (count == 0) return errors;
        uint begin = socket.ReserveSequences(count + 2);
        var w = new NetlinkWriter(messages.Length + 64);
        int b = w.BeginMessage(NetlinkConstants.NFNL_MSG_BATCH_BEGIN, NetlinkConstants.NLM_F_REQUEST, begin, 0, NetlinkConstants.NFNL_SUBSYS_NFTABLES);
        w.EndMessage(b);
        int start = w.Length;
        w.WriteRaw(messages);
        int e = w.BeginMessage(NetlinkConstants.NFNL_MSG_BATCH_END, NetlinkConstants.NLM_F_REQUEST, begin + 1 + (uint)count, 0, NetlinkConstants.NFNL_SUBSYS_NFTABLES);
        w.EndMessage(e);
        byte[] bytes = w.ToArray();
        int offset = start;
        for (int i = 0; i < count; i++)
        {
            var header = bytes.AsSpan(offset);
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            if (i == count - 1) flags |= NetlinkConstants.NLM_F_ACK;
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], begin + 1 + (uint)i);
            offset += NetlinkConstants.Align(length);
        }
        socket.Send(bytes);

        uint last = begin + (uint)count;
        bool finished = false;
        while (true)
        {
            if (finished && !socket.HasPendingData()) break;
            var reader = new NetlinkMessageReader(socket.Receive(cancellation));
            while (reader.TryRead(out var m))
            {
                if (m.Type != NetlinkConstants.NLMSG_ERROR) continue;
                var err = NetlinkError.Parse(m);
                if (err.Sequence < begin || err.Sequence > last + 1) continue;
                if (err.Error != 0)
                {
                    errors.Add($"message {err.Sequence - begin}: {Errors.Describe(-err.Error)}" + (err.Message is { } k ? $" ({k})" : ""));
                    if (err.Sequence == begin) finished = true;
                }
                if (err.Sequence == last) finished = true;
            }
        }
        return errors;
    }
}
