using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;

namespace NftPS.Cmdlets.Changes;

/// <summary>The transactions Invoke-NftTransaction has open, per runspace (innermost last). Change cmdlets run
/// inside its script block find theirs here and queue into it instead of committing on their own.</summary>
internal static class AmbientTransactions
{
    private static readonly ConcurrentDictionary<Guid, List<ChangeScope>> Open = new();

    private static Guid RunspaceId => Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;

    public static void Push(ChangeScope scope) =>
        Open.GetOrAdd(RunspaceId, _ => new List<ChangeScope>()).Add(scope);

    public static void Pop(ChangeScope scope)
    {
        if (!Open.TryGetValue(RunspaceId, out var list)) return;
        list.Remove(scope);
        if (list.Count == 0) Open.TryRemove(RunspaceId, out _);
    }

    /// <summary>The innermost open transaction in this runspace, whatever its namespace.</summary>
    public static ChangeScope? Innermost =>
        Open.TryGetValue(RunspaceId, out var list) && list.Count > 0 ? list[^1] : null;

    /// <summary>The open transaction for a namespace in this runspace, innermost first.</summary>
    public static ChangeScope? For(string? networkNamespace)
    {
        if (!Open.TryGetValue(RunspaceId, out var list)) return null;
        // The same spelling is the same namespace: most calls find theirs without resolving paths (stat calls).
        string? key = null;
        for (int i = list.Count - 1; i >= 0; i--)
        {
            if (string.Equals(list[i].NetworkNamespace ?? "", networkNamespace ?? "", StringComparison.Ordinal)) return list[i];
            key ??= NamespaceKey.Of(networkNamespace);
            if (NamespaceKey.Of(list[i].NetworkNamespace) == key) return list[i];
        }
        return null;
    }
}

/// <summary>Compares namespaces by where they resolve to (a name, its /run/netns path and /proc/PID/ns/net of a process
/// inside it are the same one; so are "omitted" and the caller's own namespace named by path).</summary>
internal static class NamespaceKey
{
    public static string Of(string? networkNamespace)
    {
        try
        {
            string? path = string.IsNullOrEmpty(networkNamespace) ? "/proc/self/ns/net" : NftPS.Netlink.NetworkNamespace.PathOf(networkNamespace);
            if (path is null) return "";
            return NftPS.Interop.FileIdentity.Of(path) is { } id ? $"{id.Device}:{id.Inode}" : networkNamespace ?? "";
        }
        catch (Exception) { return networkNamespace ?? ""; }
    }

    public static bool Same(string? a, string? b) =>
        string.Equals(a ?? "", b ?? "", StringComparison.Ordinal) || Of(a) == Of(b);
}
