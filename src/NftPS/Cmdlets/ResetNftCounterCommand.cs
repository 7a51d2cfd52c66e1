using System.Management.Automation;
using NftPS.Cmdlets.Completion;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;
using static NftPS.Netlink.NetlinkConstants;

namespace NftPS.Cmdlets;

/// <summary>reset counter / reset quota (GETOBJ_RESET) and reset rule counters (GETRULE_RESET): zeroes them and,
/// with -PassThru, returns the values they had. The kernel resets at once; this is not part of a transaction.</summary>
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
                ResetObject(InputObject.Family, InputObject.Table, InputObject.Name, (uint)InputObject.Type, InputObject.TypeKeyword ?? "counter", InputObject);
                break;
            case ByName:
                ResetObject(Family, Table, Name, Type == "quota" ? 2u : 1u, Type, $"{Type} {Family.ToKeyword()} {Table} {Name}");
                break;
            case ByRuleObject:
                if (!SameOrigin(Rule)) return;
                ResetRule(Rule.Family, Rule.Table, Rule.Chain, Rule.Handle, Rule);
                break;
            default:
                ResetRule(Family, Table, Chain, Handle, $"rule {Family.ToKeyword()} {Table} {Chain} handle {Handle}");
                break;
        }
    }

    private void ResetObject(NftFamily family, string table, string name, uint type, string keyword, object target)
    {
        string text = $"reset {keyword} {family.ToKeyword()} {table} {name}";
        if (!ShouldProcess(text, "Reset counter")) return;
        var before = InvokeConnection(c =>
        {
            NftNamedObject? o = null;
            c.Request(NfTablesMessageType.GetObjectReset, family, (ushort)(NLM_F_REQUEST | NLM_F_ACK), w =>
            {
                w.WriteString(Nfta.Obj.Table, table);
                w.WriteString(Nfta.Obj.Name, name);
                w.WriteBe32(Nfta.Obj.Type, type);
            }, (in NftPS.Netlink.NetlinkMessage m) =>
            {
                if (m.NfTablesType == (int)NfTablesMessageType.NewObject) o = NftMessageDecoder.DecodeObject(m);
            }, text, expectDone: false, Cancellation);
            return o ?? new NftNamedObject { Family = family, Table = table, Name = name };
        }, target);
        if (before is not null && PassThru) WriteObject(Stamp(before));
    }

    private void ResetRule(NftFamily family, string table, string chain, ulong handle, object target)
    {
        string text = $"reset rule {family.ToKeyword()} {table} {chain} handle {handle}";
        if (!ShouldProcess(text, "Reset counter")) return;
        var before = InvokeConnection(c =>
        {
            NftRule? r = null;
            c.Request(NfTablesMessageType.GetRuleReset, family, (ushort)(NLM_F_REQUEST | NLM_F_ACK), w =>
            {
                w.WriteString(Nfta.Rule.Table, table);
                w.WriteString(Nfta.Rule.Chain, chain);
                w.WriteBe64(Nfta.Rule.Handle, handle);
            }, (in NftPS.Netlink.NetlinkMessage m) =>
            {
                if (m.NfTablesType == (int)NfTablesMessageType.NewRule) r = NftMessageDecoder.DecodeRule(m);
            }, text, expectDone: false, Cancellation);
            return r ?? new NftRule { Family = family, Table = table, Chain = chain, Handle = handle };
        }, target);
        if (before is not null && PassThru) WriteObject(Stamp(before));
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
