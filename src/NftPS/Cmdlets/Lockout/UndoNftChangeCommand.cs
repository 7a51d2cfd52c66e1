using System.Management.Automation;
using NftPS.Cmdlets.Lockout;
using NftPS.NfTables.Rollback;

namespace NftPS.Cmdlets;

/// <summary>Rolls a change made with -ConfirmWithin back now, as its agent would at the deadline, and disarms the agent.</summary>
[Cmdlet(VerbsCommon.Undo, "NftChange", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(NftPendingChange))]
public sealed class UndoNftChangeCommand : PendingChangeCmdletBase
{
    protected override void ProcessRecord()
    {
        foreach (string id in Ids().ToList())
        {
            if (!ShouldProcess(id, "Roll the change back now")) continue;
            try
            {
                var (result, state) = PendingChanges.Undo(Store, id);
                switch (result)
                {
                    case PendingChangeResult.Done when state!.Status == PendingChangeStatus.Failed:
                        WriteError(new ErrorRecord(new InvalidOperationException($"The rollback of pending change {id} failed: {state.Outcome?.Error}"),
                            "NftPendingChangeRollbackFailed", ErrorCategory.WriteError, new NftPendingChange(state, result)));
                        break;
                    case PendingChangeResult.Done: WriteObject(new NftPendingChange(state!, result)); break;
                    case PendingChangeResult.TooLate: TooLate(id, state!, "undone"); break;
                    default: NotFound(id); break;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { Failed(id, ex); }
        }
    }
}
