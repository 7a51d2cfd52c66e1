namespace NftPS.Language.DataTypes;

/// <summary>getprotobynumber/getprotobyname over /etc/protocols, with the usual entries built in for hosts without it.</summary>
internal static class ProtocolNames
{
    private static readonly Lazy<(Dictionary<int, string> ByNumber, Dictionary<string, int> ByName)> Table = new(Load);

    public static string? NameOf(int number) => Table.Value.ByNumber.TryGetValue(number, out var n) ? n : null;

    public static int? NumberOf(string name) => Table.Value.ByName.TryGetValue(name, out var n) ? n : null;

    private static (Dictionary<int, string>, Dictionary<string, int>) Load()
    {
        var byNumber = new Dictionary<int, string>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            if (File.Exists("/etc/protocols"))
            {
                foreach (string raw in File.ReadLines("/etc/protocols"))
                {
                    string line = raw;
                    int hash = line.IndexOf('#');
                    if (hash >= 0) line = line[..hash];
                    string[] parts = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length < 2 || !int.TryParse(parts[1], out int num)) continue;
                    byNumber.TryAdd(num, parts[0]);
                    byName.TryAdd(parts[0], num);
                    for (int i = 2; i < parts.Length; i++) byName.TryAdd(parts[i], num);
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        if (byNumber.Count == 0)
        {
            foreach (var (name, num) in new[] { ("ip", 0), ("icmp", 1), ("igmp", 2), ("tcp", 6), ("udp", 17), ("ipv6", 41),
                         ("ipv6-route", 43), ("ipv6-frag", 44), ("gre", 47), ("esp", 50), ("ah", 51), ("ipv6-icmp", 58),
                         ("ipv6-nonxt", 59), ("ipv6-opts", 60), ("comp", 108), ("sctp", 132), ("udplite", 136), ("dccp", 33),
                         ("mobility-header", 135) })
            {
                byNumber.TryAdd(num, name);
                byName.TryAdd(name, num);
            }
        }
        // nft accepts these spellings whatever /etc/protocols says.
        byName.TryAdd("icmpv6", 58);
        // The grammar's own protocol keywords (parser_bison.y primary_rhs_expr), e.g. `comp`, where netbase says ipcomp.
        foreach (var (name, num) in new[] { ("tcp", 6), ("udp", 17), ("udplite", 136), ("esp", 50), ("ah", 51), ("icmp", 1),
                     ("igmp", 2), ("comp", 108), ("dccp", 33), ("sctp", 132) })
            byName.TryAdd(name, num);
        return (byNumber, byName);
    }
}

/// <summary>getservbyport over /etc/services (only used with nft -S).</summary>
internal static class ServiceNames
{
    private static readonly Lazy<Dictionary<int, string>> Table = new(() =>
    {
        var d = new Dictionary<int, string>();
        try
        {
            if (File.Exists("/etc/services"))
                foreach (string raw in File.ReadLines("/etc/services"))
                {
                    string line = raw;
                    int hash = line.IndexOf('#');
                    if (hash >= 0) line = line[..hash];
                    string[] parts = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length < 2) continue;
                    string[] pp = parts[1].Split('/');
                    if (int.TryParse(pp[0], out int port)) d.TryAdd(port, parts[0]);
                }
        }
        catch (IOException) { }
        return d;
    });

    public static string? NameOf(int port) => Table.Value.TryGetValue(port, out var n) ? n : null;
}

/// <summary>getpwuid/getgrgid over /etc/passwd and /etc/group (only used with nft -u).</summary>
internal static class AccountNames
{
    private static readonly Lazy<Dictionary<uint, string>> Users = new(() => Read("/etc/passwd"));
    private static readonly Lazy<Dictionary<uint, string>> Groups = new(() => Read("/etc/group"));

    public static string? User(uint id) => Users.Value.TryGetValue(id, out var n) ? n : null;
    public static string? Group(uint id) => Groups.Value.TryGetValue(id, out var n) ? n : null;

    private static Dictionary<uint, string> Read(string path)
    {
        var d = new Dictionary<uint, string>();
        try
        {
            if (File.Exists(path))
                foreach (string line in File.ReadLines(path))
                {
                    string[] f = line.Split(':');
                    if (f.Length > 2 && uint.TryParse(f[2], out uint id)) d.TryAdd(id, f[0]);
                }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return d;
    }
}

/// <summary>cgroupv2 ids are inode numbers of directories under /sys/fs/cgroup; nft prints the relative path.
/// Reading inode numbers needs stat(2); until Interop offers it the id prints as a number.</summary>
internal static class CgroupPaths
{
    public static Func<ulong, string?> Resolver { get; set; } = _ => null;

    public static string? Find(ulong inode) => Resolver(inode);
}
