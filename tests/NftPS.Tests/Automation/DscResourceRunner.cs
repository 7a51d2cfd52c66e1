using System.Diagnostics;
using System.Text.Json.Nodes;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>One operation of the resource, run as DSC runs a command resource: the manifest's executable (looked up
/// on PATH, where DSC expects the module folder to be) with the manifest's args, the instance as JSON on stdin when
/// the operation's input is "stdin", DSC's environment (the caller's; no extra variables for stdin input), and the
/// manifest's folder as the working directory. The answer is split as DSC splits it: JSON lines on stdout, JSON log
/// lines on stderr.</summary>
public sealed class DscResourceRunner
{
    private readonly JsonObject _manifest;
    private readonly string _folder;

    public DscResourceRunner()
    {
        _folder = Path.GetDirectoryName(DscSchemas.ManifestPath)!;
        _manifest = JsonNode.Parse(File.ReadAllText(DscSchemas.ManifestPath))!.AsObject();
    }

    public sealed record Outcome(int ExitCode, IReadOnlyList<JsonNode> Lines, IReadOnlyList<JsonObject> Log, string StdOut, string StdErr)
    {
        public Outcome Expect(int code)
        {
            Assert.True(ExitCode == code, $"exit {ExitCode} (expected {code})\nstdout: {StdOut}\nstderr: {StdErr}");
            return this;
        }

        public JsonObject State => Lines[0].AsObject();
        public string[] Properties => Lines[1].AsArray().Select(p => (string)p!).ToArray();
    }

    public Outcome Run(string operation, JsonObject? instance)
    {
        var op = _manifest[operation]!.AsObject();
        string executable = Resolve((string)op["executable"]!);
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var a in op["args"]!.AsArray()) psi.ArgumentList.Add((string)a!);
        psi.Environment["PATH"] = _folder + ":" + Environment.GetEnvironmentVariable("PATH");
        using var p = Process.Start(psi)!;
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        if ((string?)op["input"] == "stdin" && instance is not null) p.StandardInput.Write(instance.ToJsonString());
        p.StandardInput.Close();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            Assert.Fail($"dsc {operation}: nftps did not finish in 60 s");
        }
        string stdout = outTask.Result, stderr = errTask.Result;
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var log = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
        {
            // DSC lifts only JSON objects keyed by a level ("error", "warn", "info", "debug", "trace") into its trace.
            var node = JsonNode.Parse(l) as JsonObject;
            Assert.True(node is not null && node.Any(kv => kv.Key is "error" or "warn" or "info" or "debug" or "trace"),
                $"stderr line is not a DSC log line: {l}");
            return node!;
        }).ToList();
        return new Outcome(p.ExitCode, lines, log, stdout, stderr);
    }

    private string Resolve(string executable)
    {
        foreach (var dir in new[] { _folder }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')))
        {
            string candidate = Path.Combine(dir, executable);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"{executable} is not in the module folder {_folder} or on PATH: build first (dotnet build puts it in out/NftPS)");
        return "";
    }
}
