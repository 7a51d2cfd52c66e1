using System.Reflection;

namespace NftPS.Tests.Infrastructure;

/// <summary>tools/NftPS.Run as a child process: the module loaded the way pwsh loads it (no Tmds.LibC in the
/// host's dependencies), optionally with Linux capabilities dropped through setpriv.</summary>
public static class RunnerProcess
{
    public static string RunnerPath { get; } = typeof(RunnerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "NftPS.Run").Value!;

    /// <summary>Runs <paramref name="script"/> in a child whose own network namespace is <paramref name="networkNamespace"/>
    /// (`ip netns exec`), so a change to "the caller's own namespace" can never reach the host's.</summary>
    public static ProcessResult RunInside(string networkNamespace, string script) =>
        ProcessRunner.Run("ip", new[] { "netns", "exec", networkNamespace, "dotnet", RunnerPath, "-Module", PowerShellHost.ModuleManifest, "-Command", script },
            env: new Dictionary<string, string> { ["NO_COLOR"] = "1" });

    public static ProcessResult Run(string script, params string[] dropCapabilities)
    {
        var args = new List<string>();
        string file = "dotnet";
        if (dropCapabilities.Length > 0)
        {
            string caps = string.Join(',', dropCapabilities.Select(c => "-" + c));
            file = "setpriv";
            args.AddRange(new[] { $"--inh-caps={caps}", $"--bounding-set={caps}", "--", "dotnet" });
        }
        args.AddRange(new[] { RunnerPath, "-Module", PowerShellHost.ModuleManifest, "-Command", script });
        return ProcessRunner.Run(file, args, env: new Dictionary<string, string> { ["NO_COLOR"] = "1" });
    }
}
