using System.Management.Automation;
using NftPS.NfTables.Rollback;

namespace NftPS.Cmdlets.Lockout;

/// <summary>What Confirm-, Undo- and Get-NftPendingChange share: the store under /run/nftps and the ids asked for
/// (all pending changes when none is given). Any process may run them: the state is on disk, not in a session.</summary>
public abstract class PendingChangeCmdletBase : PSCmdlet
{
    /// <summary>The pending change(s); all of them when left out.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    private protected PendingChangeStore Store { get; } = new();

    /// <summary>The ids to act on: each one given (checked for form), else every pending change's.</summary>
    private protected IEnumerable<string> Ids()
    {
        if (Id is null)
        {
            foreach (var s in Store.List()) yield return s.Id;
            yield break;
        }
        foreach (string id in Id)
        {
            if (PendingChangeStore.IsValidId(id)) yield return id;
            else WriteError(new ErrorRecord(new ArgumentException($"'{id}' is not a pending change id (16 hex digits, as -ConfirmWithin returns)."),
                "NftPendingChangeIdInvalid", ErrorCategory.InvalidArgument, id));
        }
    }

    private protected void NotFound(string id) =>
        WriteError(new ErrorRecord(new ItemNotFoundException($"No pending change has the id '{id}', and none with it was rolled back in the last day."),
            "NftPendingChangeNotFound", ErrorCategory.ObjectNotFound, id));

    /// <summary>The window had closed: say so, with what happened to the change.</summary>
    private protected void TooLate(string id, PendingChangeState state, string action)
    {
        string what = state.Status switch
        {
            PendingChangeStatus.RolledBack => $"it was rolled back at {state.Outcome?.AtUtc.ToLocalTime():T}",
            PendingChangeStatus.Undone => $"it was undone at {state.Outcome?.AtUtc.ToLocalTime():T}",
            PendingChangeStatus.Failed => $"its rollback failed ({state.Outcome?.Error})",
            _ => $"it is {state.Status}",
        };
        WriteError(new ErrorRecord(new InvalidOperationException($"TooLate: pending change {id} cannot be {action}: {what}."),
            "NftPendingChangeTooLate", ErrorCategory.OperationTimeout, new NftPendingChange(state, PendingChangeResult.TooLate)));
    }

    private protected void Failed(string id, Exception ex) =>
        WriteError(new ErrorRecord(ex, "NftPendingChangeFailed", ErrorCategory.WriteError, id));
}
