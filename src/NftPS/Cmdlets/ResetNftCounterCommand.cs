using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;

namespace NftPS.Cmdlets;

/// <summary>reset counter / reset quota and reset rule counters, as typed reset operations through the backend
/// (<see cref="NftPS.NfTables.Backend.INftBackend.Reset"/>): zeroes them and, with -PassThru, returns the values they
/// had. The kernel resets at once; this is not part of a transaction.</summary>
[Cmdlet(VerbsCommon.Reset, "NftCounter", SupportsShouldProcess = true, DefaultParameterSetName = ByObject)]
[OutputType(typeof(NftNamedObject), typeof(NftRule))]
public sealed class ResetNftCounterCommand : NftCmdletBase
{
    public const string ByName = "ByName", ByObject = "ByObject", ByRuleObject = "ByRuleObject", ByRule = "ByRule";

    [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
    public NftNamedObject InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = ByRuleObject, ValueFromPipeline = true)]
    public NftRule Rule { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByRule, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TableNameCompleter))]
    public string Table { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = "";

    [Parameter(ParameterSetName = ByName)]
    [ValidateSet("counter", "quota")]
    public string Type { get; set; } = "counter";

    [Parameter(Mandatory = true, ParameterSetName = ByRule, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ChainNameCompleter))]
    public string Chain { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ByRule, ValueFromPipelineByPropertyName = true)]
    public ulong Handle { get; set; }

    [Parameter(ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ByRule, ValueFromPipelineByPropertyName = true)]
    [FamilyTransformation]
    [ValidateSet(FamilyNames.Ip, FamilyNames.Ip6, FamilyNames.Inet, FamilyNames.Arp, FamilyNames.Bridge, FamilyNames.Netdev)]
    public NftFamily Family { get; set; } = NftFamily.Ip;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!InputFromThisHost() || !ResolveNamespace()) return;
        // Resets happen at once, outside any batch: inside a transaction they may only touch its namespace,
        // and inside a -WhatIf transaction not at all.
        RefuseOtherNamespaceInTransaction();
        if (Changes.AmbientTransactions.Innermost is { WhatIf: true })
        {
            WriteVerbose("Inside Invoke-NftTransaction -WhatIf: nothing is reset.");
            return;
        }
        switch (ParameterSetName)
        {
            case ByObject:
                if (!SameOrigin(InputObject)) return;
                Reset(new ObjectResetOperation(InputObject.Family, InputObject.Table, InputObject.Name, (uint)InputObject.Type), InputObject);
                break;
            case ByName:
                var named = new ObjectResetOperation(Family, Table, Name, Type == "quota" ? ObjectResetOperation.Quota : ObjectResetOperation.Counter);
                Reset(named, named.ToCommandText());
                break;
            case ByRuleObject:
                if (!SameOrigin(Rule)) return;
                Reset(new RuleResetOperation(Rule.Family, Rule.Table, Rule.Chain, Rule.Handle), Rule);
                break;
            default:
                var rule = new RuleResetOperation(Family, Table, Chain, Handle);
                Reset(rule, rule.ToCommandText());
                break;
        }
    }

    /// <summary>Asks before the reset, showing its nft command; the values before come back with -PassThru.</summary>
    private void Reset(ResetOperation operation, object target)
    {
        if (!ShouldProcess(operation.ToCommandText(), "Reset counter")) return;
        var before = Invoke(backend => backend.Reset(operation, Cancellation), target);
        if (before is null || !PassThru) return;
        foreach (var o in before) WriteObject(Stamp(o));
    }

    private T Stamp<T>(T o) where T : NftObjectBase
    {
        o.NetworkNamespace = NetworkNamespace;
        return o;
    }

    private bool SameOrigin(NftObjectBase obj)
    {
        if (!string.Equals(obj.Host, NftObjectBase.LocalHostName, StringComparison.OrdinalIgnoreCase))
        {
            WriteError(NftErrors.ForeignObject(obj, $"{obj} was read on host '{obj.Host}'; NftPS changes only this machine's rulesets.", otherHost: true));
            return false;
        }
        if (Changes.NamespaceKey.Of(obj.NetworkNamespace) != Changes.NamespaceKey.Of(NetworkNamespace))
        {
            WriteError(NftErrors.ForeignObject(obj, $"{obj} came from network namespace '{obj.NetworkNamespace}', not '{NetworkNamespace}'; it was refused.", otherHost: false));
            return false;
        }
        return true;
    }
}
