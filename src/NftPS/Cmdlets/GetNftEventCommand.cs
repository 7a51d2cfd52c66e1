using System.Management.Automation;
using NftPS.NfTables.Events;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Ruleset changes as they are committed (nft monitor, as objects): without -Wait the changes of the next
/// commit; with -Wait every commit until -Count changes, -Timeout or Ctrl+C.</summary>
[Cmdlet(VerbsCommon.Get, "NftEvent")]
[OutputType(typeof(NftRulesetChange))]
public sealed class GetNftEventCommand : NftCmdletBase
{
    /// <summary>Keep listening after the first commit.</summary>
    [Parameter] public SwitchParameter Wait { get; set; }

    /// <summary>Stop after this many changes (implies listening across commits until they came).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>Stop after this many seconds (fractions allowed); reaching it is not an error.</summary>
    [Parameter]
    [ValidateRange(0.0, 31536000.0)]
    public double Timeout { get; set; }

    protected override void ProcessRecord()
    {
        var feed = Invoke(backend => new RulesetChangeFeed(backend), NetworkNamespace);
        if (feed is null) return;
        using (feed)
        {
            bool limited = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout));
            DateTime deadline = limited ? DateTime.UtcNow + TimeSpan.FromSeconds(Timeout) : DateTime.MaxValue;
            // Sets seen in earlier commits, so rules using them by name print as nft would.
            var context = new NftRuleset();
            long written = 0;
            try
            {
                while (true)
                {
                    TimeSpan wait = limited ? deadline - DateTime.UtcNow : System.Threading.Timeout.InfiniteTimeSpan;
                    if (limited && wait <= TimeSpan.Zero) return;
                    IReadOnlyList<NftRulesetChange>? commit;
                    try { commit = feed.Next(wait, Cancellation); }
                    catch (IOException ex)
                    {
                        WriteError(NftErrors.FromException(ex, NetworkNamespace));
                        return;
                    }
                    if (commit is null) return;
                    foreach (var change in commit)
                    {
                        if (change.Object is NftSet set && change.Action != NfTables.Operations.NftVerb.Delete) context.Sets.Add(set);
                        if (change.Object is NftRule rule) change.Text = RulesetSource.TryDescribe(rule, context);
                        WriteObject(change);
                        if (Count != 0 && ++written >= Count) return;
                    }
                    if (!Wait && Count == 0) return;
                }
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested) { throw new PipelineStoppedException(); }
        }
    }
}
