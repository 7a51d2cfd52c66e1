using System.Diagnostics;

namespace NftPS.Tests.Infrastructure;

public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public ProcessResult EnsureSuccess(string what)
    {
        if (ExitCode != 0) throw new InvalidOperationException($"{what} failed ({ExitCode}): {StdErr}{StdOut}");
        return this;
    }
}

public static class ProcessRunner
{
    public static ProcessResult Run(string file, IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
        using var p = Process.Start(psi)!;
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, outTask.Result, errTask.Result);
    }

    public static bool Exists(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(new[] { "/usr/sbin", "/sbin" })
            .Any(d => File.Exists(Path.Combine(d, program)));
}
