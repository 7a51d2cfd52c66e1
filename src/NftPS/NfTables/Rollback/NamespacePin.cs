using NftPS.Interop;
using NftPS.Netlink;

namespace NftPS.NfTables.Rollback;

/// <summary>How the agent finds the namespace the change was made in. A named namespace (/run/netns/NAME) is entered
/// by that path. Any other (a /proc/PID/ns/net path, or the caller's own namespace) is bind-mounted onto the change's
/// directory first, as `ip netns add` does: a /proc path dies with the process it names (the caller, in a lockout), and
/// a systemd unit starts in the host namespace, so the agent needs a path that outlives the caller. Either way the
/// file's device and inode are recorded, and the agent checks them before it acts.</summary>
internal static class NamespacePin
{
    public static void Pin(PendingChangeState state, PendingChangeStore store, string? networkNamespace)
    {
        string? path = NetworkNamespace.ResolvePath(networkNamespace);
        bool named = path is not null && Path.GetDirectoryName(path) == NetworkNamespace.NamedDirectory;
        if (!named)
        {
            string source = path ?? "/proc/thread-self/ns/net";
            string target = store.PinPath(state.Id);
            using (File.Create(target)) { }
            BindMount.Bind(source, target);
            path = target;
        }
        var identity = FileIdentity.Of(path!)
            ?? throw new RollbackNamespaceChangedException($"The network namespace file {path} cannot be examined.");
        state.NamespacePath = path!;
        state.NamespacePinned = !named;
        state.NamespaceDevice = identity.Device;
        state.NamespaceInode = identity.Inode;
    }
}
