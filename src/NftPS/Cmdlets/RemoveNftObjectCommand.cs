using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets;

/// <summary>delete counter / quota / limit (no rule may still refer to it).</summary>
[Cmdlet(VerbsCommon.Remove, "NftObject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByObject)]
[OutputType(typeof(void))]
public sealed class RemoveNftObjectCommand : NftChangeCmdletBase
{
    public const string ByName = "ByName", ByObject = "ByObject";

    [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
    public NftNamedObject InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = "";

    [Parameter(ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    [Parameter(Mandatory = true, ParameterSetName = ByName)]
    [ValidateSet("counter", "quota", "limit")]
    public string Type { get; set; } = "";

    [Parameter]
    public SwitchParameter IgnoreMissing { get; set; }

    protected override void ProcessChange()
    {
        if (ParameterSetName == ByObject)
        {
            if (!CheckOrigin(InputObject)) return;
            var o = InputObject;
            Queue(o, "Remove object", (batch, _) =>
                batch.DeleteObject(o.Family, o.Table, o.Name, (uint)o.Type, o.TypeKeyword ?? o.Type.ToString().ToLowerInvariant(), destroy: IgnoreMissing));
            return;
        }
        uint type = Type switch { "counter" => 1u, "quota" => 2u, _ => 4u };
        Queue($"{Type} {Family.ToKeyword()} {Table} {Name}", "Remove object", (batch, _) =>
            batch.DeleteObject(Family, Table, Name, type, Type, destroy: IgnoreMissing));
    }
}
