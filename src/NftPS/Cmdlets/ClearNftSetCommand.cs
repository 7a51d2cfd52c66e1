using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>flush set / flush map: removes every element.</summary>
[Cmdlet(VerbsCommon.Clear, "NftSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
[OutputType(typeof(void))]
public sealed class ClearNftSetCommand : SetChangeCommandBase
{
    protected override void ProcessChange()
    {
        if (ResolveSet() is not { } s) return;
        Queue(s.Target, "Clear set", (batch, _) => batch.FlushSet(s.Family, s.Table, s.Name, s.IsMap));
    }
}
