namespace NftPS.Tests.Infrastructure;

/// <summary>A network namespace of the test's own (ip netns add), deleted on dispose. Tests never touch the
/// host's ruleset: every kernel call and every nft oracle call goes through <see cref="Name"/>.
/// Use as an xunit class fixture so each test class gets its own, and classes run in parallel.</summary>
public sealed class PrivateNetworkNamespace : IDisposable
{
    public PrivateNetworkNamespace()
    {
        if (KernelAvailability.UnavailableReason is { } reason)
        {
            UnavailableReason = reason;
            return;
        }
        Name = "nftps-t-" + Guid.NewGuid().ToString("N")[..10];
        ProcessRunner.Run("ip", new[] { "netns", "add", Name }).EnsureSuccess("ip netns add");
    }

    /// <summary>The namespace name (under /run/netns), usable as -NetworkNamespace and with `ip netns exec`.</summary>
    public string Name { get; } = "";
    public string Path => "/run/netns/" + Name;
    public string? UnavailableReason { get; }

    /// <summary>Call first in every kernel test: skips with the reason (fails under CI=true) where namespaces or nft are missing.</summary>
    public PrivateNetworkNamespace Require()
    {
        if (UnavailableReason is not null) Skip.Because(UnavailableReason);
        return this;
    }

    /// <summary>Runs nft inside this namespace (the oracle). TZ fixed so timeouts/expiry print alike.</summary>
    public ProcessResult Nft(params string[] args) =>
        ProcessRunner.Run("ip", new[] { "netns", "exec", Name, "nft" }.Concat(args));

    /// <summary>Loads nft file text with `nft -f -`.</summary>
    public ProcessResult NftLoad(string text) =>
        ProcessRunner.Run("ip", new[] { "netns", "exec", Name, "nft", "-f", "-" }, stdin: text);

    /// <summary>Loads commands in one transaction; on failure splits the list in halves, so every command nft accepts
    /// on its own lands. Returns the commands that loaded.</summary>
    public List<string> NftLoadKeepingGood(List<string> commands)
    {
        if (commands.Count == 0) return commands;
        if (NftLoad(string.Join('\n', commands) + "\n").ExitCode == 0) return commands;
        if (commands.Count == 1) return new List<string>();
        int half = commands.Count / 2;
        var ok = NftLoadKeepingGood(commands.GetRange(0, half));
        ok.AddRange(NftLoadKeepingGood(commands.GetRange(half, commands.Count - half)));
        return ok;
    }

    public string NftListRuleset(params string[] extra) =>
        Nft(extra.Concat(new[] { "list", "ruleset" }).ToArray()).EnsureSuccess("nft list ruleset").StdOut;

    public void Flush() => Nft("flush", "ruleset").EnsureSuccess("nft flush ruleset");

    public void Dispose()
    {
        if (Name.Length > 0) ProcessRunner.Run("ip", new[] { "netns", "delete", Name });
    }

    internal static string? ProbeUnavailableReason()
    {
        if (!ProcessRunner.Exists("ip")) return "iproute2 (ip) is not installed";
        if (!ProcessRunner.Exists("nft")) return "nft (Debian package nftables) is not installed; it is the test oracle";
        string name = "nftps-probe-" + Environment.ProcessId;
        var add = ProcessRunner.Run("ip", new[] { "netns", "add", name });
        if (add.ExitCode != 0) return "cannot create a network namespace (needs root / CAP_SYS_ADMIN): " + add.StdErr.Trim();
        try
        {
            var r = ProcessRunner.Run("ip", new[] { "netns", "exec", name, "nft", "list", "ruleset" });
            if (r.ExitCode != 0) return "nft cannot talk to nf_tables in a private namespace (needs CAP_NET_ADMIN): " + r.StdErr.Trim();
        }
        finally { ProcessRunner.Run("ip", new[] { "netns", "delete", name }); }
        return null;
    }
}
