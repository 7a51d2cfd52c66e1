using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;

namespace NftPS.Cmdlets;

/// <summary>The parameters the Get-* cmdlets share, declared once so their metadata (binding, completion, validation)
/// cannot drift apart: -Family here; -Table in <see cref="NftTableContentGetCommandBase"/>; -Name and -Handle in
/// <see cref="NftTableObjectGetCommandBase"/>. (Get-NftRuleset takes -Family by position and declares its own.)</summary>
public abstract class NftGetCommandBase : NftCmdletBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily? Family { get; set; }
}

/// <summary>Get-* cmdlets that list what is inside tables; tables (and anything with a Table property) pipe in.</summary>
public abstract class NftTableContentGetCommandBase : NftGetCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string? Table { get; set; }
}

/// <summary>Get-* cmdlets that list the named objects of tables (chains, sets, flowtables, stateful objects), by
/// name or handle.</summary>
public abstract class NftTableObjectGetCommandBase : NftTableContentGetCommandBase
{
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TableObjectNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    public ulong[]? Handle { get; set; }
}
