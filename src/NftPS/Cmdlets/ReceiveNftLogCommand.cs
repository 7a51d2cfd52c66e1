using System.Management.Automation;
using NftPS.NfTables.Log;

namespace NftPS.Cmdlets;

/// <summary>Reads the packets that `log group N` rules send to NFLOG, one object per packet, until -Count packets came,
/// -Timeout seconds passed, or Ctrl+C. The group is bound for the duration of the command only.</summary>
[Cmdlet(VerbsCommunications.Receive, "NftLog")]
[OutputType(typeof(NftLogPacket))]
public sealed class ReceiveNftLogCommand : NftCmdletBase
{
    /// <summary>The NFLOG group, as in the rule's `log group N`.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateRange(0, 65535)]
    public int Group { get; set; }

    /// <summary>Stop after this many packets.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>Stop after this many seconds (fractions allowed), whether or not packets came; not an error.</summary>
    [Parameter]
    [ValidateRange(0.0, 31536000.0)]
    public double Timeout { get; set; }

    protected override void ProcessRecord()
    {
        if (!ResolveNamespace()) return;
        bool limited = MyInvocation.BoundParameters.ContainsKey(nameof(Timeout));
        DateTime deadline = limited ? DateTime.UtcNow + TimeSpan.FromSeconds(Timeout) : DateTime.MaxValue;
        NflogListener listener;
        try
        {
            listener = NflogListener.Open(NetworkNamespace, (ushort)Group, Cancellation);
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested) { throw new PipelineStoppedException(); }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            WriteError(NftErrors.FromException(ex, Group));
            return;
        }
        using (listener)
        {
            long written = 0, overflows = 0;
            try
            {
                while (Count == 0 || written < Count)
                {
                    TimeSpan wait = limited ? deadline - DateTime.UtcNow : System.Threading.Timeout.InfiniteTimeSpan;
                    if (limited && wait <= TimeSpan.Zero) break;
                    foreach (var packet in listener.Receive(wait, Cancellation))
                    {
                        WriteObject(packet);
                        if (Count != 0 && ++written >= Count) break;
                    }
                    if (listener.Overflows != overflows)
                    {
                        overflows = listener.Overflows;
                        WriteWarning($"Packets logged to NFLOG group {Group} were lost: the reader fell behind and the socket buffer overflowed.");
                    }
                }
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested) { throw new PipelineStoppedException(); }
        }
    }
}
