using System.Diagnostics;
using System.Management.Automation;

namespace NftPS.Cmdlets;

/// <summary>Write-Progress for long work, shown only once the work has taken longer than <see cref="ShowAfter"/>
/// (short commands never flash a progress bar) and updated at most every <see cref="Interval"/>, so reporting per
/// element costs a clock read. <see cref="Complete"/> removes the bar if one was shown.</summary>
internal sealed class ProgressReporter
{
    /// <summary>How long work runs before progress appears (about a second, per the module's conventions).
    /// Tests set it to zero to see the records of small runs.</summary>
    internal static TimeSpan ShowAfter { get; set; } = TimeSpan.FromSeconds(1);

    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Cmdlet _cmdlet;
    private readonly int _activityId;
    private readonly string _activity;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastShown = TimeSpan.MinValue;
    private bool _shown;

    private static int _nextActivityId;

    /// <summary>Each reporter gets its own activity id, so two NftPS cmdlets in one pipeline (Get-NftSetElement |
    /// Add-NftSetElement) show two bars rather than overwriting one.</summary>
    public ProgressReporter(Cmdlet cmdlet, string activity)
    {
        _cmdlet = cmdlet;
        _activityId = Interlocked.Increment(ref _nextActivityId) & int.MaxValue;
        _activity = activity;
    }

    /// <summary>Reports <paramref name="done"/> units (of <paramref name="total"/> when known). <paramref name="status"/>
    /// is only formatted when a record is actually written.</summary>
    public void Report(Func<string> status, long done, long? total = null, bool force = false)
    {
        var now = _clock.Elapsed;
        if (now < ShowAfter) return;
        if (!force && _shown && now - _lastShown < Interval) return;
        _lastShown = now;
        _shown = true;
        var record = new ProgressRecord(_activityId, _activity, status())
        {
            PercentComplete = total is > 0 ? (int)Math.Min(100, done * 100 / total.Value) : -1,
        };
        _cmdlet.WriteProgress(record);
    }

    /// <summary>A new phase (e.g. "Committing 1,200 messages") shown at once if the work has already run long.</summary>
    public void Phase(string status) => Report(() => status, 0, force: true);

    public void Complete()
    {
        if (!_shown) return;
        _shown = false;
        _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
    }
}
