using System.Collections.Concurrent;
using NftPS.Interop;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Backend;

namespace NftPS.Cmdlets;

/// <summary>One long-lived nf_tables connection per network namespace for the whole PowerShell session.
/// A connection serves one call at a time (its socket carries one conversation), so each entry has a gate.</summary>
internal static class ConnectionCache
{
    private sealed class Entry
    {
        public readonly object Gate = new();
        public NfTablesConnection? Connection;
        public (ulong, ulong)? Identity;
    }

    private static readonly ConcurrentDictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="action"/> with the ruleset store (the netlink backend) of
    /// <paramref name="networkNamespace"/>: what every cmdlet reads and commits through.</summary>
    /// <remarks>Null or empty: the caller's own namespace; a name that is neither bare nor an absolute path is
    /// refused before anything is opened. The connection is opened on first use.</remarks>
    public static T Use<T>(string? networkNamespace, Func<INftBackend, T> action)
    {
        // One statx per call: it both proves the namespace exists and tells whether it is still the one the cached
        // socket lives in. Only when it fails does ResolvePath look again (and say the namespace was not found).
        string? path = NetworkNamespace.PathOf(networkNamespace);
        var identity = path is null ? null : FileIdentity.Of(path);
        if (path is not null && identity is null) path = NetworkNamespace.ResolvePath(networkNamespace);
        var entry = Entries.GetOrAdd(path ?? "", _ => new Entry());
        lock (entry.Gate)
        {
            // A name re-created with `ip netns` is another namespace: the old socket would read the old one.
            if (entry.Connection is not null && identity is not null && entry.Identity is not null && identity != entry.Identity)
            {
                entry.Connection.Dispose();
                entry.Connection = null;
            }
            if (entry.Connection is null)
            {
                entry.Connection = NfTablesConnection.Open(path is null ? null : networkNamespace);
                entry.Identity = identity;
            }
            try
            {
                return action(entry.Connection);
            }
            catch (Exception ex) when (ex is not NetlinkException)
            {
                // Cancelled or broken mid-conversation: replies may still be queued, so start afresh next time.
                entry.Connection.Dispose();
                entry.Connection = null;
                throw;
            }
        }
    }

    public static void DisposeAll()
    {
        foreach (var entry in Entries.Values)
            lock (entry.Gate)
            {
                entry.Connection?.Dispose();
                entry.Connection = null;
            }
        Entries.Clear();
    }
}
