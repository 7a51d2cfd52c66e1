using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>delete table: removes a table with everything in it. ConfirmImpact High: the table may hold the accept
/// that lets the caller in (a warning names it when it does).</summary>
[Cmdlet(VerbsCommon.Remove, "NftTable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
    DefaultParameterSetName = ByObject)]
[OutputType(typeof(void))]
public sealed class RemoveNftTableCommand : NftChangeCmdletBase
{
    public const string ByName = "ByName", ByObject = "ByObject";

    [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
    public NftTable InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    /// <summary>No error when the table does not exist (nft destroy).</summary>
    [Parameter]
    public SwitchParameter IgnoreMissing { get; set; }

    protected override void ProcessChange()
    {
        if (ParameterSetName == ByObject && !CheckOrigin(InputObject)) return;
        var (family, name) = ParameterSetName == ByObject ? (InputObject.Family, InputObject.Name) : (Family, Name);
        if (!MyInvocation.BoundParameters.ContainsKey("WhatIf") &&
            TryReadForLockoutCheck(new RulesetQuery { Family = family, Table = name, IncludeSets = false, IncludeElements = false,
                IncludeObjects = false, IncludeFlowtables = false }) is { } table &&
            NftPS.NfTables.Rollback.LockoutRisk.OfTableRemoval(table, NftPS.NfTables.Rollback.SshConnection.FromEnvironment()) is { } risk)
            WriteWarning("Possible lockout: " + risk);
        if (ParameterSetName == ByObject)
        {
            Queue(InputObject, "Remove table", (batch, _) =>
                batch.DeleteTable(InputObject.Family, InputObject.Name, destroy: IgnoreMissing));
            return;
        }
        Queue(Name, "Remove table", (batch, _) => batch.DeleteTable(Family, Name, destroy: IgnoreMissing));
    }
}
