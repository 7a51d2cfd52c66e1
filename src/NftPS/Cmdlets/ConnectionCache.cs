using System.Collections.Concurrent;
using NftPS.Netlink;
using NftPS.NfTables;

namespace NftPS.Cmdlets;

/// <summary>One long-lived nf_tables connection per network namespace for the whole PowerShell session.
/// A connection serves one call at a time (its socket carries one conversation), so each entry has a gate.</summary>
internal static class ConnectionCache
{
    private sealed class Entry
    {
        public readonly object Gate = new();
        public NfTablesConnection? Connection;
    }

    private static readonly ConcurrentDictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="action"/> with the connection for <paramref name="networkNamespace"/>
    /// (null or empty: the caller's own namespace), opening it on first use.</summary>
    public static T Use<T>(string? networkNamespace, Func<NfTablesConnection, T> action)
    {
        string key = NetworkNamespace.ResolvePath(networkNamespace) ?? "";
        var entry = Entries.GetOrAdd(key, _ => new Entry());
        lock (entry.Gate)
        {
            entry.Connection ??= NfTablesConnection.Open(string.IsNullOrEmpty(networkNamespace) ? null : networkNamespace);
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
