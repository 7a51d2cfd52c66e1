using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using NftPS.Hosting;
using PS = System.Management.Automation.PowerShell;

namespace NftPS.Tests.Infrastructure;

/// <summary>What one script run produced: its output objects, every error record (non-terminating ones and,
/// last, the terminating one if the script stopped), and the terminating error on its own.</summary>
public sealed record PowerShellResult(IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, ErrorRecord? Terminating)
{
    public bool HadErrors => Errors.Count > 0;

    /// <summary>The Write-Progress records the script produced.</summary>
    public IReadOnlyList<ProgressRecord> Progress { get; init; } = Array.Empty<ProgressRecord>();

    /// <summary>The output's base objects (the NftPS model objects themselves).</summary>
    public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

    public string Describe() => string.Join(Environment.NewLine,
        Errors.Select(e => $"[{e.CategoryInfo.Category}] {e.FullyQualifiedErrorId}: {e.ErrorDetails?.Message ?? e.Exception.Message}"));
}

/// <summary>A PowerShell runspace hosted in the test process with out/NftPS/NftPS.psd1 imported by path —
/// the module exactly as users get it (manifest, format and types files, its own Tmds.LibC loading).
/// Scripts see the test's namespace as <c>$ns</c> when one is given; every NftPS call in a test must pass
/// <c>-NetworkNamespace $ns</c> so the host's ruleset is never read.</summary>
public sealed class PowerShellHost : IDisposable
{
    private readonly StringBuilder _text = new();
    private readonly Runspace _runspace;
    private readonly object _gate = new();

    public PowerShellHost(string? networkNamespace = null)
    {
        if (!File.Exists(ModuleManifest))
            throw new InvalidOperationException($"{ModuleManifest} is missing: `dotnet build` at the repository root assembles it.");
        var writer = new StringWriter(_text);
        Host = new TextHost(writer, writer, width: 120, color: false);
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(new[] { ModuleManifest });
        iss.ThrowOnRunspaceOpenError = true;
        _runspace = RunspaceFactory.CreateRunspace(Host, iss);
        _runspace.Open();
        if (networkNamespace is not null) SetVariable("ns", networkNamespace);
    }

    public static string ModuleDirectory => Path.Combine(TestEnvironment.RepoRoot, "out", "NftPS");
    public static string ModuleManifest => Path.Combine(ModuleDirectory, "NftPS.psd1");

    public TextHost Host { get; }

    public void SetVariable(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    /// <summary>Runs script text; never throws for PowerShell errors — they are in the result.</summary>
    public PowerShellResult Run(string script)
    {
        lock (_gate)
        {
            using var ps = PS.Create(_runspace);
            ps.AddScript(script);
            Collection<PSObject> output;
            ErrorRecord? terminating = null;
            try
            {
                output = ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                output = new Collection<PSObject>();
                terminating = ex.ErrorRecord;
            }
            var errors = ps.Streams.Error.ToList();
            if (terminating is not null) errors.Add(terminating);
            return new PowerShellResult(output.Where(o => o is not null).ToList(), errors, terminating)
            {
                Progress = ps.Streams.Progress.ToList(),
            };
        }
    }

    /// <summary>Runs script text and returns what a 120-column terminal would show (Out-Default through the
    /// module's format views), errors included as PowerShell would print them.</summary>
    public string RunText(string script)
    {
        lock (_gate)
        {
            _text.Clear();
            using var ps = PS.Create(_runspace);
            ps.AddScript(script);
            ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
            ps.AddCommand("Out-Default");
            try { ps.Invoke(); }
            catch (RuntimeException ex) { _text.AppendLine(ex.ErrorRecord.ToString()); }
            return _text.ToString();
        }
    }

    public void Dispose() => _runspace.Dispose();
}
