using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>add map: keys to values, verdicts or objects, e.g. `New-NftMap -Table nat -Name fwd -Type inet_service -DataType ipv4_addr`.</summary>
[Cmdlet(VerbsCommon.New, "NftMap", SupportsShouldProcess = true, DefaultParameterSetName = DefaultParameterSet)]
[OutputType(typeof(NftSet))]
public sealed class NewNftMapCommand : SetDefinitionCommandBase
{
    /// <summary>What keys map to: a type ("verdict", "ipv4_addr", "mark") or an object kind ("counter", "quota", "limit");
    /// with -Typeof, an expression ("meta mark"). Alias DataTypeText. A map piped from Get-NftSet binds its numeric
    /// DataType here first (null for an object map, hence AllowNull); the declaration then comes from its DataTypeText.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [Alias("DataTypeText")]
    public string? DataType { get; set; } = "";

    private bool _dataTypeTyped;

    protected override void BeginProcessing()
    {
        _dataTypeTyped = MyInvocation.BoundParameters.ContainsKey(nameof(DataType));
        base.BeginProcessing();
    }

    private protected override bool IsMap => true;

    private protected override string? DataDeclaration =>
        !_dataTypeTyped && InputIsTemplate && InvocationIntrospection.CurrentPipelineObject(this) is { } map
            ? map.Properties["DataTypeText"]?.Value?.ToString()
            : DataType;
}
