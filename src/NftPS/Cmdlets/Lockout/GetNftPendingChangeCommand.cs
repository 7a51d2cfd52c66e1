using System.Management.Automation;
using NftPS.Cmdlets.Lockout;

namespace NftPS.Cmdlets;

/// <summary>Lists the changes made with -ConfirmWithin that still wait for Confirm-NftChange, from any session.</summary>
[Cmdlet(VerbsCommon.Get, "NftPendingChange")]
[OutputType(typeof(NftPendingChange))]
public sealed class GetNftPendingChangeCommand : PendingChangeCmdletBase
{
    protected override void ProcessRecord()
    {
        foreach (string id in Ids().ToList())
        {
            if (Store.Read(id) is { } state) WriteObject(new NftPendingChange(state));
            else if (Id is not null) NotFound(id);
        }
    }
}
