using System.Globalization;

namespace NftPS.NfTables.Log;

/// <summary>Who holds an NFLOG group: the kernel lists each bound group with the netlink port id of its reader
/// (/proc/net/netfilter/nfnetlink_log), the port id leads to a socket inode (/proc/net/netlink), and the inode to the
/// processes that have the socket open. Read from the calling thread's namespace (/proc/thread-self/net), so call it
/// inside the namespace the group is in. Anything unreadable gives what was found so far, never an exception.</summary>
internal static class NflogGroupOwner
{
    private const string NetDirectory = "/proc/thread-self/net";

    /// <summary>The reader's port id, or null when the group is not bound.</summary>
    public static uint? PortOf(ushort group) =>
        Rows(NetDirectory + "/netfilter/nfnetlink_log")
            .Where(r => r.Length >= 2 && Uint(r[0]) == group)
            .Select(r => Uint(r[1]))
            .FirstOrDefault();

    /// <summary>"ulogd (pid 123)" for the processes holding the socket with that port id; null when none is found.</summary>
    public static string? Describe(uint port)
    {
        // /proc/net/netlink: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode; Eth 12 is NETLINK_NETFILTER.
        var inode = Rows(NetDirectory + "/netlink")
            .Where(r => r.Length >= 10 && r[1] == "12" && Uint(r[2]) == port)
            .Select(r => r[9]).FirstOrDefault();
        if (inode is null) return null;
        string link = $"socket:[{inode}]";
        var owners = new List<string>();
        foreach (string process in SafeDirectories("/proc"))
        {
            string pid = Path.GetFileName(process);
            if (!pid.All(char.IsAsciiDigit)) continue;
            foreach (string fd in SafeFiles(process + "/fd"))
            {
                string? target;
                try { target = new FileInfo(fd).LinkTarget; } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                if (target != link) continue;
                string comm = "";
                try { comm = File.ReadAllText(process + "/comm").Trim(); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
                owners.Add($"{comm} (pid {pid})");
                break;
            }
        }
        return owners.Count == 0 ? null : string.Join(", ", owners);
    }

    private static IEnumerable<string[]> Rows(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { yield break; }
        foreach (string line in lines)
            yield return line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    private static uint? Uint(string s) => uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out uint v) ? v : null;

    private static IEnumerable<string> SafeDirectories(string path)
    {
        try { return Directory.GetDirectories(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Array.Empty<string>(); }
    }

    private static IEnumerable<string> SafeFiles(string path)
    {
        try { return Directory.GetFiles(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Array.Empty<string>(); }
    }
}

/// <summary>The NFLOG group is already bound by another reader (the kernel allows one per group and namespace).</summary>
public sealed class NftLogGroupBusyException : InvalidOperationException
{
    public NftLogGroupBusyException(ushort group, uint? port, string? owner, Exception? inner = null)
        : base(Compose(group, port, owner), inner)
    {
        Group = group;
        OwnerPort = port;
        Owner = owner;
    }

    public ushort Group { get; }
    /// <summary>The netlink port id of the reader holding the group.</summary>
    public uint? OwnerPort { get; }
    /// <summary>The process(es) holding it, as "ulogd (pid 123)"; null when it could not be found.</summary>
    public string? Owner { get; }

    private static string Compose(ushort group, uint? port, string? owner)
    {
        string who = owner is not null ? $"by {owner}" : port is uint p ? $"by another reader (netlink port {p})" : "by another reader";
        return $"NFLOG group {group} is already bound {who}; only one reader can bind a group in a network namespace. " +
               "Stop that reader (for example the ulogd2 service), or log to another group (log group N).";
    }
}
