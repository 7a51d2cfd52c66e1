using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NftPS.Hosting;

// Runs PowerShell script text with NftPS imported from out/NftPS, on machines without pwsh.
//   dotnet run --project tools/NftPS.Run -- -Command 'Get-NftTable -NetworkNamespace demo'
//   dotnet run --project tools/NftPS.Run -- -File examples/demo.ps1 [arguments]
// Exit code: 0 when the script wrote no error, 1 when it did, or the script's own `exit N`.
return Runner.Run(args);

internal static class Runner
{
    private const string Usage =
        "usage: NftPS.Run [-Module <path to NftPS.psd1>] (-Command <script text> | -File <script.ps1> [arguments...])";

    public static int Run(string[] args)
    {
        string? module = Environment.GetEnvironmentVariable("NFTPS_MODULE");
        string? script = null;
        string? file = null;
        var scriptArgs = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (file is not null) { scriptArgs.Add(a); continue; }
            if (Is(a, "-Module") && i + 1 < args.Length) module = args[++i];
            else if (Is(a, "-Command") && i + 1 < args.Length) script = string.Join(' ', args[(i + 1)..]);
            else if (Is(a, "-File") && i + 1 < args.Length) file = args[++i];
            else if (Is(a, "-Help") || a is "-?" or "--help") { Console.WriteLine(Usage); return 0; }
            else { script = string.Join(' ', args[i..]); }
            if (script is not null) break;
        }
        if (script is null && file is null) { Console.Error.WriteLine(Usage); return 2; }

        module ??= FindModule();
        if (module is null || !File.Exists(module))
        {
            Console.Error.WriteLine("NftPS.Run: cannot find out/NftPS/NftPS.psd1; run `dotnet build` at the repository root first, or pass -Module.");
            return 2;
        }

        bool color = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        var host = new TextHost(Console.Out, Console.Error, ConsoleWidth(), color);
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(new[] { Path.GetFullPath(module) });
        using var runspace = RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        using var ps = PowerShell.Create(runspace);
        if (file is not null)
        {
            ps.AddCommand(Path.GetFullPath(file));
            AddScriptArguments(ps, scriptArgs);
        }
        else
        {
            ps.AddScript(script!);
        }
        ps.AddCommand("Out-Default");

        int errors = 0;
        ps.Streams.Error.DataAdded += (_, e) =>
        {
            errors++;
            WriteError(ps.Streams.Error[e.Index]);
        };
        ps.Streams.Warning.DataAdded += (_, e) => Console.Error.WriteLine("WARNING: " + ps.Streams.Warning[e.Index].Message);
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; ps.BeginStop(null, null); };
        try
        {
            ps.Invoke();
        }
        catch (PipelineStoppedException)
        {
            return 130;
        }
        catch (RuntimeException ex)
        {
            WriteError(ex.ErrorRecord);
            return host.ExitCode ?? 1;
        }
        return host.ExitCode ?? (errors > 0 ? 1 : 0);
    }

    // "-Name value" binds a named parameter, a lone "-Switch" a switch, anything else is positional.
    private static void AddScriptArguments(PowerShell ps, List<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a.Length > 1 && a[0] == '-' && !char.IsDigit(a[1]))
            {
                string name = a[1..].TrimEnd(':');
                if (i + 1 < args.Count && !(args[i + 1].StartsWith('-') && args[i + 1].Length > 1 && !char.IsDigit(args[i + 1][1])))
                    ps.AddParameter(name, args[++i]);
                else
                    ps.AddParameter(name);
            }
            else
            {
                ps.AddArgument(a);
            }
        }
    }

    private static bool Is(string arg, string name) => string.Equals(arg, name, StringComparison.OrdinalIgnoreCase);

    // PowerShell's concise error view: "Command: message", then the recommended action when there is one.
    private static void WriteError(ErrorRecord record)
    {
        string command = record.InvocationInfo?.MyCommand?.Name ?? "";
        string message = record.ErrorDetails?.Message ?? record.Exception.Message;
        Console.Error.WriteLine(command.Length > 0 ? $"{command}: {message}" : message);
        if (!string.IsNullOrEmpty(record.ErrorDetails?.RecommendedAction))
            Console.Error.WriteLine("  " + record.ErrorDetails.RecommendedAction);
        Console.Error.WriteLine($"  [{record.CategoryInfo.Category}] {record.FullyQualifiedErrorId}");
    }

    private static int ConsoleWidth()
    {
        try { return Console.IsOutputRedirected ? 120 : Math.Max(80, Console.WindowWidth); }
        catch (IOException) { return 120; }
    }

    private static string? FindModule()
    {
        foreach (string? start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (string? dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                string candidate = Path.Combine(dir, "out", "NftPS", "NftPS.psd1");
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
