using System.Text;
using System.Text.Json;
using NftPS.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>The real native executable the build puts into the module folder (out/NftPS/nftps), run as a process in
/// private namespaces — with --netns, and inside `ip netns exec` — as DSC and Ansible would run it.</summary>
public sealed class NftpsBinaryTests : IDisposable
{
    private readonly PrivateNetworkNamespace _a = new(), _b = new();
    private readonly string _store = Path.Combine(Path.GetTempPath(), "nftps-bin-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        if (Directory.Exists(_store)) Directory.Delete(_store, recursive: true);
    }

    public static string Binary => Path.Combine(PowerShellHost.ModuleDirectory, "nftps");

    private static void RequireBinary()
    {
        if (!File.Exists(Binary)) Skip.Because($"{Binary} is missing: build the repository (dotnet build) first");
    }

    private static ProcessResult Exec(string? stdin, IEnumerable<string> args, IDictionary<string, string>? env = null) =>
        ProcessRunner.Run(Binary, args, stdin ?? "", env);

    private ProcessResult InA(string? stdin, params string[] args) =>
        ProcessRunner.Run("ip", new[] { "netns", "exec", _a.Name, Binary }.Concat(args), stdin ?? "");

    [Fact]
    public void TheBinaryIsNativeAndCarriesNoPowerShell()
    {
        RequireBinary();
        byte[] bytes = File.ReadAllBytes(Binary);
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, bytes[..4]);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes("System.Management.Automation")));
        var version = Exec(null, ["--version"]);
        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith("nftps ", version.StdOut);
    }

    [KernelFact]
    public void ExportIsNftListRulesetByteForByte()
    {
        RequireBinary();
        _a.Require().NftLoad(NftpsKernelTests.Web + "\ntable ip other {\n\tchain c {\n\t\tip daddr 127.0.0.9 counter drop\n\t}\n}\n").EnsureSuccess("load");
        string nft = _a.NftListRuleset();
        var viaNetns = Exec(null, ["export", "--netns", _a.Name]);
        Assert.Equal(0, viaNetns.ExitCode);
        Assert.Equal(nft, viaNetns.StdOut);
        var inside = InA(null, "export");
        Assert.Equal(nft, inside.StdOut);
        var json = Exec(null, ["export", "--netns", _a.Name, "--format", "json"]);
        Assert.True(JsonDocument.Parse(json.StdOut).RootElement.TryGetProperty("nftables", out _));
    }

    [KernelFact]
    public void TestSetTestWithTheParameterObjectOnStdin()
    {
        RequireBinary();
        _a.Require().Flush();
        _b.Require().Flush();
        _b.NftLoad("table inet web {\n\tchain input {\n\t\tudp dport 53 accept\n\t}\n}\n").EnsureSuccess("load b");
        string bBefore = _b.NftListRuleset();
        string parameters = JsonSerializer.Serialize(new Dictionary<string, object> { ["tables"] = NftpsKernelTests.Web, ["netns"] = _a.Name });

        var before = Exec(parameters, ["test"]);
        Assert.Equal(ExitCodes.Drift, before.ExitCode);
        Assert.False(JsonDocument.Parse(before.StdOut).RootElement.GetProperty("inDesiredState").GetBoolean());
        var set = Exec(parameters, ["set"]);
        Assert.Equal(0, set.ExitCode);
        Assert.True(JsonDocument.Parse(set.StdOut).RootElement.GetProperty("changed").GetBoolean());
        var again = Exec(parameters, ["set"]);
        Assert.False(JsonDocument.Parse(again.StdOut).RootElement.GetProperty("changed").GetBoolean());
        Assert.Equal(0, Exec(parameters, ["test"]).ExitCode);
        // Run from inside namespace B, it still changed only A (the namespace it was given) — and B is untouched.
        var fromB = ProcessRunner.Run("ip", ["netns", "exec", _b.Name, Binary, "test", "--netns", _a.Name, "--text", NftpsKernelTests.Web]);
        Assert.Equal(0, fromB.ExitCode);
        Assert.Equal(bBefore, _b.NftListRuleset());
        Assert.Contains("tcp dport 22 accept", _a.NftListRuleset());
    }

    [KernelFact]
    public void ErrorsGoToStderrWithTheirExitCodesAndChangeNothing()
    {
        RequireBinary();
        _a.Require().Flush();
        string before = _a.NftListRuleset();
        var parse = InA("table inet web { chain c { tcp dport 22 acept; }; }", "set");
        Assert.Equal(ExitCodes.InvalidDesiredState, parse.ExitCode);
        Assert.Equal("", parse.StdOut);
        Assert.Contains("^", parse.StdErr);
        var kernel = InA(null, "set", "--text", "table ip bad { chain c { type filter hook ingress priority 0; }; }");
        Assert.Equal(ExitCodes.KernelRefused, kernel.ExitCode);
        Assert.Equal("", kernel.StdOut);
        Assert.NotEqual("", kernel.StdErr.Trim());
        var usage = InA(null, "set", "--frobnicate");
        Assert.Equal(ExitCodes.Usage, usage.ExitCode);
        var missing = Exec(null, ["test", "--netns", "nftps-none-" + Guid.NewGuid().ToString("N")[..6], "--text", "table ip t {}"]);
        Assert.Equal(ExitCodes.KernelRefused, missing.ExitCode);
        Assert.Equal(before, _a.NftListRuleset());
    }

    [KernelFact]
    public void ConfirmWithinRollsBackByTheNativeAgentUnlessConfirmed()
    {
        RequireBinary();
        _a.Require().Flush();
        _a.NftLoad("table inet web {\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n\t}\n}\n").EnsureSuccess("load");
        string before = _a.NftListRuleset();
        const string drop = "table inet web { chain input { type filter hook input priority 0; policy drop; }; }";

        // Not confirmed: the agent (nftps rollback-agent, no PowerShell) restores the table at the deadline.
        var armed = Exec(null, ["set", "--netns", _a.Name, "--text", drop, "--confirm-within", "1s"], Store());
        Assert.Equal(0, armed.ExitCode);
        var pending = JsonDocument.Parse(armed.StdOut).RootElement.GetProperty("pendingChange");
        Assert.StartsWith("detached process", pending.GetProperty("agent").GetString());
        // Applied (a loaded machine may already be past the 1 s deadline when nft could look, so the output says it).
        Assert.True(JsonDocument.Parse(armed.StdOut).RootElement.GetProperty("changed").GetBoolean());
        Assert.True(pending.GetProperty("generationAfter").GetUInt32() > pending.GetProperty("generationBefore").GetUInt32());
        var until = DateTime.UtcNow.AddSeconds(10);
        while (_a.NftListRuleset() != before && DateTime.UtcNow < until) Thread.Sleep(100);
        Assert.Equal(before, _a.NftListRuleset());
        var late = Exec(null, ["confirm", pending.GetProperty("id").GetString()!], Store());
        Assert.Equal(ExitCodes.PendingChangeNotFound, late.ExitCode);
        Assert.Equal("TooLate", JsonDocument.Parse(late.StdOut).RootElement.GetProperty("result").GetString());

        // Confirmed from another process: the change stays and no agent is left.
        var kept = Exec(null, ["set", "--netns", _a.Name, "--text", drop, "--confirm-within", "30s"], Store());
        var keptPending = JsonDocument.Parse(kept.StdOut).RootElement.GetProperty("pendingChange");
        string id = keptPending.GetProperty("id").GetString()!;
        // The agent is this nftps (rollback-agent), not a PowerShell.
        string agentPid = keptPending.GetProperty("agent").GetString()!["detached process ".Length..];
        Assert.Equal([Binary, "rollback-agent"], File.ReadAllText($"/proc/{agentPid}/cmdline").TrimEnd('\0').Split('\0'));
        Assert.Single(JsonDocument.Parse(Exec(null, ["pending"], Store()).StdOut).RootElement.GetProperty("pending").EnumerateArray());
        var confirm = Exec(null, ["confirm", id], Store());
        Assert.Equal(0, confirm.ExitCode);
        Assert.Equal("Done", JsonDocument.Parse(confirm.StdOut).RootElement.GetProperty("result").GetString());
        Assert.Contains("policy drop", _a.NftListRuleset());
        Assert.Empty(JsonDocument.Parse(Exec(null, ["pending"], Store()).StdOut).RootElement.GetProperty("pending").EnumerateArray());
        Assert.DoesNotContain(ProcessRunner.Run("ps", ["-eo", "args"]).StdOut.Split('\n'), l => l.Contains(Binary + " rollback-agent"));
    }

    /// <summary>This test's own pending-change store, so it never meets another test's.</summary>
    private Dictionary<string, string> Store() => new() { ["NFTPS_STORE_ROOT"] = _store };
}
