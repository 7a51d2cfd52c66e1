using NftPS.NfTables.Rollback;

namespace NftPS.Tests.Rollback;

/// <summary>The agent's command lines: values travel as environment variables, never in the command text, and where
/// systemd runs the same agent starts from a transient timer unit (not runnable here: the command line is checked).</summary>
public sealed class AgentLauncherTests
{
    private static readonly AgentProgram Program = new(["/usr/bin/dotnet", "/opt/pwsh/pwsh.dll"], "/opt/it's \"odd\"/NftPS.dll", "/run/nftps");

    [Fact]
    public void TheAgentCommandIsFixedTextAndTheValuesAreEnvironment()
    {
        var line = AgentLauncher.AgentCommandLine(Program);
        Assert.Equal(["/usr/bin/dotnet", "/opt/pwsh/pwsh.dll", "-NoProfile", "-NonInteractive", "-NoLogo", "-Command", AgentLauncher.Script], line);
        Assert.DoesNotContain("odd", string.Join(" ", line));
        var env = AgentLauncher.Environment(Program, "0123456789abcdef");
        Assert.Equal("0123456789abcdef", env["NFTPS_ROLLBACK_ID"]);
        Assert.Equal(Program.Assembly, env["NFTPS_ROLLBACK_ASSEMBLY"]);
        Assert.Equal("/run/nftps", env["NFTPS_ROLLBACK_ROOT"]);
    }

    [Fact]
    public void SystemdRunStartsTheSameAgentFromATimerAtTheDeadline()
    {
        var args = AgentLauncher.SystemdRunArguments(Program, "0123456789abcdef", TimeSpan.FromSeconds(3));
        int dashes = args.ToList().IndexOf("--");
        Assert.Equal(AgentLauncher.AgentCommandLine(Program), args.Skip(dashes + 1));
        var options = args.Take(dashes).ToList();
        Assert.Equal("nftps-rollback-0123456789abcdef", options[options.IndexOf("--unit") + 1]);
        Assert.Equal("3000ms", options[options.IndexOf("--on-active") + 1]);
        Assert.Contains("--collect", options);
        Assert.Contains("--setenv=NFTPS_ROLLBACK_ID=0123456789abcdef", options);
        Assert.Contains($"--setenv=NFTPS_ROLLBACK_ASSEMBLY={Program.Assembly}", options);
    }

    [Fact]
    public void TheNativeAgentIsNftpsRollbackAgentWithTheSameEnvironment()
    {
        var native = AgentProgram.Nftps("/opt/it's \"odd\"/nftps", "/run/nftps");
        Assert.Equal(["/opt/it's \"odd\"/nftps", "rollback-agent"], AgentLauncher.AgentCommandLine(native));
        var env = AgentLauncher.Environment(native, "0123456789abcdef");
        Assert.Equal("0123456789abcdef", env["NFTPS_ROLLBACK_ID"]);
        Assert.Equal("/run/nftps", env["NFTPS_ROLLBACK_ROOT"]);
        var args = AgentLauncher.SystemdRunArguments(native, "0123456789abcdef", TimeSpan.FromSeconds(3));
        Assert.Equal(["/opt/it's \"odd\"/nftps", "rollback-agent"], args.Skip(args.ToList().IndexOf("--") + 1));
    }

    [Fact]
    public void TheModulePicksNftpsBesideItsAssemblyWhenItIsExecutable()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nftps-agent-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            string assembly = Path.Combine(dir, "NftPS.dll");
            Assert.Null(NftPS.Cmdlets.NftPendingChange.NativeAgent(assembly));
            string nftps = Path.Combine(dir, "nftps");
            File.WriteAllText(nftps, "");
            File.SetUnixFileMode(nftps, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Assert.Null(NftPS.Cmdlets.NftPendingChange.NativeAgent(assembly));
            File.SetUnixFileMode(nftps, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.Equal(nftps, NftPS.Cmdlets.NftPendingChange.NativeAgent(assembly));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void SystemdIsUsedOnlyWhereItRuns()
    {
        string root = Path.Combine(Path.GetTempPath(), "nftps-sd-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Assert.False(AgentLauncher.SystemdRunning(root));
            Directory.CreateDirectory(Path.Combine(root, "run/systemd/system"));
            Assert.True(AgentLauncher.SystemdRunning(root));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
