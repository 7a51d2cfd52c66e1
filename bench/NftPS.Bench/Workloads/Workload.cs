namespace NftPS.Bench.Workloads;

/// <summary>What a workload is checked against: a ratio NftPS/nft (in-session wall time) or an absolute in-session time.</summary>
public sealed record Target(string Text, double? MaxRatio = null, double? MaxInSessionMs = null)
{
    public static Target Ratio(double max) => new($"≤ {max:0.##}× nft", MaxRatio: max);
    public static Target Absolute(double ms) => new($"≤ {ms:0.##} ms in-session", MaxInSessionMs: ms);
}

/// <summary>Where a workload's files go and which namespace it runs in.</summary>
public sealed class BenchContext
{
    public BenchContext(PrivateNamespace ns, string workDirectory, bool quick)
    {
        Namespace = ns;
        WorkDirectory = workDirectory;
        Quick = quick;
    }

    public PrivateNamespace Namespace { get; }
    public string WorkDirectory { get; }
    public bool Quick { get; }

    public string File(string name) => Path.Combine(WorkDirectory, name);

    /// <summary>Loads nft text (untimed setup).</summary>
    public void NftLoad(string fileName, string text)
    {
        string path = File(fileName);
        System.IO.File.WriteAllText(path, text);
        Namespace.NftChecked("-f", path);
    }

    public void Flush() => Namespace.NftChecked("flush", "ruleset");
}

/// <summary>One measured task, done once by nft and once by NftPS. <see cref="Reset"/> runs (untimed) before every
/// measured run of either tool, so both start from the same ruleset. Run numbers are unique within a workload,
/// so workloads that change a persistent ruleset (W4) use a different element or rule each time.</summary>
public abstract class Workload
{
    public abstract string Id { get; }
    public abstract string Description { get; }
    /// <summary>"core" when NftPS is driven through the library (NftChanges and expressions built directly), "cmdlet" through cmdlets.</summary>
    public virtual string NftPsVia => "core";
    public virtual Target? Target => null;
    /// <summary>False when nft has no counterpart (module import).</summary>
    public virtual bool HasNft => true;

    public virtual void Prepare(BenchContext context) { }
    public virtual void Reset(BenchContext context, int run) { }

    /// <summary>The nft invocations of one run (each its own process, as a script would start them).</summary>
    public abstract IReadOnlyList<string[]> NftCommands(BenchContext context, int run);

    /// <summary>Extra lines for the report after all runs (e.g. where the time of a run went), or null.</summary>
    public virtual string? Notes => null;

    /// <summary>The NftPS side of one run, in a session that already imported the module; this is what the stopwatch covers.</summary>
    public abstract void RunNftPs(NftPsSession session, int run);

    /// <summary>The same run as a script for a fresh `pwsh -File` (the real-pwsh column), or null where the workload has
    /// no script form (core-library workloads). Called before each such run, untimed: it may write input files.</summary>
    public virtual PwshWork? Pwsh(BenchContext context, int run) => null;

    /// <summary>A target checked on the real-pwsh column's first run (ratio of it to nft's wall time), or null.</summary>
    public virtual Target? PwshTarget => null;
}

/// <summary>A real-pwsh run: <see cref="Prologue"/> (untimed: reads inputs) and <see cref="Work"/> (timed inside the
/// process) go into <see cref="RealPwsh.Script"/>; or, with <see cref="CommandLine"/>, pwsh is run with exactly those
/// arguments and only the whole process is measured.</summary>
public sealed record PwshWork(string Prologue, string Work, string[]? CommandLine = null);

/// <summary>A workload sized by one number (rules or elements), with the issue-5 target of that size where it has one.</summary>
public abstract class SizedWorkload : Workload
{
    private readonly Target? _target;

    protected SizedWorkload(int size, Target? target)
    {
        Size = size;
        _target = target;
    }

    protected int Size { get; }
    public override Target? Target => _target;

    /// <summary>One `nft -f FILE` run of a file written by Prepare.</summary>
    protected static IReadOnlyList<string[]> NftLoadFile(BenchContext context, string name) => new[] { new[] { "-f", context.File(name) } };
}
