using System.Management.Automation;
using NftPS.Cmdlets.Lockout;
using NftPS.NfTables.Rollback;

namespace NftPS.Cmdlets;

/// <summary>Keeps a change made with -ConfirmWithin: disarms its rollback (stops the agent, removes the state). Run it
/// from a new session to prove the change left you a way in, as a confirmed commit does.</summary>
[Cmdlet(VerbsLifecycle.Confirm, "NftChange", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NftPendingChange))]
public sealed class ConfirmNftChangeCommand : PendingChangeCmdletBase
{
    protected override void ProcessRecord()
    {
        foreach (string id in Ids().ToList())
        {
            if (!ShouldProcess(id, "Keep the change (disarm its rollback)")) continue;
            try
            {
                var (result, state) = PendingChanges.Confirm(Store, id);
                switch (result)
                {
                    case PendingChangeResult.Done: WriteObject(new NftPendingChange(state!, result)); break;
                    case PendingChangeResult.TooLate: TooLate(id, state!, "confirmed"); break;
                    default: NotFound(id); break;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { Failed(id, ex); }
        }
    }
}
