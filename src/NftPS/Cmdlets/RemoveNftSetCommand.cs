using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>delete set / delete map (no rule may still refer to it).</summary>
[Cmdlet(VerbsCommon.Remove, "NftSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
[OutputType(typeof(void))]
public sealed class RemoveNftSetCommand : SetChangeCommandBase
{
    /// <summary>No error when the set does not exist (nft destroy).</summary>
    [Parameter]
    public SwitchParameter IgnoreMissing { get; set; }

    protected override void ProcessChange()
    {
        if (ResolveSet() is not { } s) return;
        var queued = Queue(s.Target, "Remove set", (batch, _) =>
            batch.DeleteSet(s.Family, s.Table, s.Name, isMap: s.IsMap, destroy: IgnoreMissing));
        if (queued is { Count: > 0 } && CurrentScope() is { } scope)
        {
            scope.NewSets.Remove((s.Family, s.Table, s.Name));
            scope.DeletedSets.Add((s.Family, s.Table, s.Name));
        }
    }
}
