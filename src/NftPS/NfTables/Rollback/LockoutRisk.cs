using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NftPS.NfTables.Model;

namespace NftPS.NfTables.Rollback;

/// <summary>The caller's SSH connection as sshd describes it in SSH_CONNECTION: "client-ip client-port server-ip
/// server-port". Each part is parsed as one value of its type, or the whole is refused (null).</summary>
public sealed record SshConnection(IPAddress Client, int ClientPort, IPAddress Server, int ServerPort)
{
    public static SshConnection? Parse(string? value)
    {
        string[] parts = (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4) return null;
        if (!IPAddress.TryParse(parts[0], out var client) || !IPAddress.TryParse(parts[2], out var server)) return null;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int cp) || cp is < 1 or > 65535) return null;
        if (!int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out int sp) || sp is < 1 or > 65535) return null;
        return new SshConnection(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, cp, server.IsIPv4MappedToIPv6 ? server.MapToIPv4() : server, sp);
    }

    public static SshConnection? FromEnvironment() => Parse(Environment.GetEnvironmentVariable("SSH_CONNECTION"));

    public bool IsIPv6 => Client.AddressFamily == AddressFamily.InterNetworkV6;

    public override string ToString() => $"{Client}:{ClientPort} -> {Server}:{ServerPort}";
}

/// <summary>Whether a change can cut the caller off: packets of the caller's connection pass the input hook (and the
/// forward hook of a router in front of it) of the ip or ip6 family and of inet; a drop there, by policy or by the
/// deletion of the table holding the accept, leaves the caller outside. Without a detectable SSH connection every
/// IP family counts.</summary>
internal static partial class LockoutRisk
{
    private const uint InputHook = 1, ForwardHook = 2;

    /// <summary>Whether <paramref name="family"/> carries the caller's connection.</summary>
    public static bool CarriesCaller(NftFamily family, SshConnection? ssh) => family switch
    {
        NftFamily.Inet => true,
        NftFamily.Ip => ssh is null || !ssh.IsIPv6,
        NftFamily.Ip6 => ssh is null || ssh.IsIPv6,
        _ => false,
    };

    /// <summary>The warning for setting <paramref name="policy"/> on a chain, or null when it cannot cut the caller off.
    /// <paramref name="rules"/> (the chain's rules, when they could be read) lets the warning say which accept rule
    /// lets the caller's connection through, or that none does and the connection WILL be dropped.</summary>
    public static string? OfPolicy(NftChain chain, string policy, SshConnection? ssh, IEnumerable<NftRule>? rules = null)
    {
        if (!policy.Equals("drop", StringComparison.OrdinalIgnoreCase)) return null;
        if (chain.HookNumber is not (InputHook or ForwardHook) || !CarriesCaller(chain.Family, ssh)) return null;
        string hook = chain.HookNumber == InputHook ? "input" : "forward";
        const string Advice = "use -ConfirmWithin on Invoke-NftTransaction to have the change roll back unless confirmed from a new session.";
        if (ssh is not null && rules is not null)
        {
            var accept = rules.FirstOrDefault(r => r.Chain == chain.Name && r.Table == chain.Table && r.Family == chain.Family &&
                r.Facts.Action == NftRuleAction.Accept && SurelyAccepts(r, ssh));
            return accept is not null
                ? $"policy drop on {chain} (hook {hook}) drops what no rule accepts; your SSH connection ({ssh}) appears to be " +
                  $"accepted by rule '{accept.Text}'{HandleOf(accept)}, as long as no rule before it drops it; {Advice}"
                : $"policy drop on {chain} (hook {hook}): no accept rule of the chain matches your SSH connection ({ssh}), " +
                  $"so it WILL be dropped; {Advice}";
        }
        string who = ssh is null ? "remote sessions" : $"your SSH connection ({ssh})";
        return $"policy drop on {chain} (hook {hook}) drops {who} unless a rule of the chain accepts it first; {Advice}";
    }

    private static string HandleOf(NftRule rule) => rule.Handle == 0 ? "" : $" (handle {rule.Handle})";

    /// <summary>The warning for deleting <paramref name="table"/>, or null when it holds no accept on the caller's path.</summary>
    public static string? OfTableRemoval(NftRuleset table, SshConnection? ssh)
    {
        var chain = table.Chains.FirstOrDefault(c => c.HookNumber is InputHook or ForwardHook && CarriesCaller(c.Family, ssh) &&
            table.Rules.Any(r => r.Chain == c.Name && r.Verdict == "accept"));
        if (chain is null) return null;
        string who = ssh is null ? "remote sessions" : $"your SSH connection ({ssh})";
        return $"{chain} accepts traffic on the {(chain.HookNumber == InputHook ? "input" : "forward")} hook; deleting the table removes " +
               $"that accept, and if another table drops what it accepted, {who} is cut off.";
    }
}
