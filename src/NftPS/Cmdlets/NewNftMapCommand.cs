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
    /// with -Typeof, an expression ("meta mark").</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string DataType { get; set; } = "";

    private protected override bool IsMap => true;
    private protected override string? DataDeclaration => DataType;
}
