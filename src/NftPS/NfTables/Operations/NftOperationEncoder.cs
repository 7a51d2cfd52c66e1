using NftPS.Netlink;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;
using static NftPS.Netlink.NetlinkConstants;

namespace NftPS.NfTables.Operations;

/// <summary>Typed operations to nf_tables messages, with the flags and attribute order nft 1.0.6 uses
/// (NETLINK-NOTES §2). Called only when a batch is sent (and to locate a kernel refusal in the bytes sent).</summary>
internal static partial class NftOperationEncoder
{
    private const uint ChainBindingFlag = 4; // NFT_CHAIN_BINDING

    public static NfTablesMessageType MessageType(NftOperation op) => op switch
    {
        RulesetOperation => NfTablesMessageType.DelTable,
        TableOperation t => t.Verb switch
        {
            NftVerb.Add or NftVerb.Create => NfTablesMessageType.NewTable,
            NftVerb.Flush => NfTablesMessageType.DelRule,
            NftVerb.Destroy => NfTablesMessageType.DestroyTable,
            _ => NfTablesMessageType.DelTable,
        },
        ChainOperation c => c.Verb switch
        {
            NftVerb.Add or NftVerb.Create => NfTablesMessageType.NewChain,
            NftVerb.Flush => NfTablesMessageType.DelRule,
            NftVerb.Destroy => NfTablesMessageType.DestroyChain,
            _ => NfTablesMessageType.DelChain,
        },
        BoundChainOperation or ChainPolicyOperation or ChainRenameOperation => NfTablesMessageType.NewChain,
        RuleOperation r => r.Verb switch
        {
            NftVerb.Delete => NfTablesMessageType.DelRule,
            NftVerb.Destroy => NfTablesMessageType.DestroyRule,
            _ => NfTablesMessageType.NewRule,
        },
        SetOperation s => s.Verb switch
        {
            NftVerb.Add or NftVerb.Create => NfTablesMessageType.NewSet,
            NftVerb.Flush => NfTablesMessageType.DelSetElement,
            NftVerb.Destroy => NfTablesMessageType.DestroySet,
            _ => NfTablesMessageType.DelSet,
        },
        ElementOperation or ElementKeysOperation => op.Verb switch
        {
            NftVerb.Add or NftVerb.Create => NfTablesMessageType.NewSetElement,
            NftVerb.Destroy => NfTablesMessageType.DestroySetElement,
            _ => NfTablesMessageType.DelSetElement,
        },
        ObjectOperation o => o.Verb switch
        {
            NftVerb.Add or NftVerb.Create => NfTablesMessageType.NewObject,
            NftVerb.Destroy => NfTablesMessageType.DestroyObject,
            _ => NfTablesMessageType.DelObject,
        },
        FlowtableOperation f => f.Verb == NftVerb.Delete ? NfTablesMessageType.DelFlowtable : NfTablesMessageType.NewFlowtable,
        _ => throw new NftOperationException(op, "this operation has no netlink encoding"),
    };

    public static ushort Flags(NftOperation op)
    {
        ushort exclusive = op.Verb == NftVerb.Create ? NLM_F_EXCL : (ushort)0;
        return op switch
        {
            TableOperation { Verb: NftVerb.Add or NftVerb.Create } => exclusive,
            ChainOperation { Verb: NftVerb.Add or NftVerb.Create } => (ushort)(NLM_F_CREATE | exclusive),
            BoundChainOperation => NLM_F_CREATE,
            RuleOperation { Verb: NftVerb.Replace } => NLM_F_REPLACE,
            RuleOperation { Verb: NftVerb.Add or NftVerb.Insert } r => (ushort)(NLM_F_CREATE | (r.Placement.Insert ? 0 : NLM_F_APPEND)),
            SetOperation { Verb: NftVerb.Add or NftVerb.Create } => (ushort)(NLM_F_CREATE | exclusive),
            ElementOperation or ElementKeysOperation when op.Verb is NftVerb.Add or NftVerb.Create => (ushort)(NLM_F_CREATE | exclusive),
            ObjectOperation { Verb: NftVerb.Add or NftVerb.Create } => (ushort)(NLM_F_CREATE | exclusive),
            FlowtableOperation { Verb: NftVerb.Add or NftVerb.Create } => (ushort)(NLM_F_CREATE | exclusive),
            _ => 0,
        };
    }

    /// <summary>The whole message (header, nfgenmsg, attributes) with sequence number <paramref name="sequence"/>.</summary>
    public static void WriteMessage(NetlinkWriter w, NftOperation op, ushort extraFlags, uint sequence)
    {
        int m = w.BeginMessage(NfTablesConnection.WireType(MessageType(op)), (ushort)(Flags(op) | extraFlags), sequence, (byte)op.Family);
        WriteAttributes(w, op);
        w.EndMessage(m);
    }

    public static void WriteAttributes(NetlinkWriter w, NftOperation op)
    {
        switch (op)
        {
            case RulesetOperation: break;
            case TableOperation t: WriteTable(w, t); break;
            case ChainOperation c: WriteChain(w, c); break;
            case FlowtableOperation f: WriteFlowtable(w, f); break;
            case BoundChainOperation b:
                w.WriteString(Nfta.Chain.Table, b.Table);
                w.WriteBe32(Nfta.Chain.Id, b.ChainId);
                w.WriteBe32(Nfta.Chain.Flags, ChainBindingFlag);
                break;
            case ChainPolicyOperation p:
                w.WriteString(Nfta.Chain.Table, p.Table);
                w.WriteString(Nfta.Chain.Name, p.Chain);
                w.WriteBe32(Nfta.Chain.Policy, ChainHooks.PolicyValue(p.Policy));
                break;
            case ChainRenameOperation r:
                w.WriteString(Nfta.Chain.Table, r.Table);
                w.WriteBe64(Nfta.Chain.Handle, r.Handle);
                w.WriteString(Nfta.Chain.Name, r.NewName);
                break;
            case RuleOperation r: WriteRule(w, r); break;
            case SetOperation s: WriteSet(w, s); break;
            case ElementOperation e: WriteElements(w, e); break;
            case ElementKeysOperation k: WriteKeys(w, k); break;
            case ObjectOperation o: WriteObject(w, o); break;
            default: throw new NftOperationException(op, "this operation has no netlink encoding");
        }
    }

    private static void WriteTable(NetlinkWriter w, TableOperation t)
    {
        switch (t.Verb)
        {
            case NftVerb.Add or NftVerb.Create:
                w.WriteString(Nfta.Table.Name, t.Name);
                w.WriteBe32(Nfta.Table.Flags, t.Flags);
                if (UserData.ForComment(t.Comment) is { } ud) w.WriteBytes(Nfta.Table.UserData, ud);
                break;
            case NftVerb.Flush:
                w.WriteString(Nfta.Rule.Table, t.Name);
                break;
            default:
                if (t.Handle is { } h) w.WriteBe64(Nfta.Table.Handle, h);
                else w.WriteString(Nfta.Table.Name, t.Name);
                break;
        }
    }

    private static void WriteChain(NetlinkWriter w, ChainOperation c)
    {
        switch (c.Verb)
        {
            case NftVerb.Add or NftVerb.Create:
                w.WriteString(Nfta.Chain.Table, c.Table);
                w.WriteString(Nfta.Chain.Name, c.Name);
                if (c.Hook is { } hook)
                {
                    int h = w.BeginNested(Nfta.Chain.Hook);
                    w.WriteBe32(Nfta.Hook.HookNum, hook.HookNumber);
                    w.WriteBe32(Nfta.Hook.Priority, hook.Priority);
                    WriteDevices(w, hook.Devices, Nfta.Hook.Dev, Nfta.Hook.Devs);
                    w.EndNested(h);
                }
                if (c.Policy is not null) w.WriteBe32(Nfta.Chain.Policy, ChainHooks.PolicyValue(c.Policy));
                if (c.Hook is not null) w.WriteString(Nfta.Chain.Type, c.Hook.Type);
                if (c.ChainId is { } id) w.WriteBe32(Nfta.Chain.Id, id);
                if (UserData.ForComment(c.Comment) is { } ud) w.WriteBytes(Nfta.Chain.UserData, ud);
                break;
            case NftVerb.Flush:
                w.WriteString(Nfta.Rule.Table, c.Table);
                w.WriteString(Nfta.Rule.Chain, c.Name);
                break;
            default:
                w.WriteString(Nfta.Chain.Table, c.Table);
                if (c.Handle is { } hd) w.WriteBe64(Nfta.Chain.Handle, hd);
                else w.WriteString(Nfta.Chain.Name, c.Name);
                break;
        }
    }

    /// <summary>As nft 1.0.6 writes it: table, name, the hook (ingress, priority, every device in a list) and the
    /// flags, zero included; a delete names the flowtable only.</summary>
    private static void WriteFlowtable(NetlinkWriter w, FlowtableOperation f)
    {
        w.WriteString(Nfta.Flowtable.Table, f.Table);
        if (f.Verb == NftVerb.Delete)
        {
            if (f.Handle is { } h) w.WriteBe64(Nfta.Flowtable.Handle, h);
            else w.WriteString(Nfta.Flowtable.Name, f.Name);
            return;
        }
        w.WriteString(Nfta.Flowtable.Name, f.Name);
        int hook = w.BeginNested(Nfta.Flowtable.Hook);
        w.WriteBe32(Nfta.FlowtableHook.Num, 0); // NF_NETDEV_INGRESS: the only flowtable hook
        w.WriteBe32(Nfta.FlowtableHook.Priority, unchecked((uint)f.Priority!.Value));
        if (f.Devices.Count > 0)
        {
            int devs = w.BeginNested(Nfta.FlowtableHook.Devs);
            // nft sends the device list sorted (it is a set of interface names); the kernel keeps that order.
            foreach (string d in f.Devices.OrderBy(d => d, StringComparer.Ordinal)) w.WriteString(Nfta.DeviceName, d);
            w.EndNested(devs);
        }
        w.EndNested(hook);
        w.WriteBe32(Nfta.Flowtable.Flags, f.Flags);
    }

    private static void WriteDevices(NetlinkWriter w, IReadOnlyList<string>? devices, ushort single, ushort many)
    {
        if (devices is null || devices.Count == 0) return;
        if (devices.Count == 1)
        {
            w.WriteString(single, devices[0]);
            return;
        }
        int n = w.BeginNested(many);
        foreach (string d in devices) w.WriteString(Nfta.DeviceName, d);
        w.EndNested(n);
    }

    private static void WriteRule(NetlinkWriter w, RuleOperation r)
    {
        w.WriteString(Nfta.Rule.Table, r.Table);
        switch (r.Verb)
        {
            case NftVerb.Delete or NftVerb.Destroy:
                w.WriteString(Nfta.Rule.Chain, r.Chain);
                w.WriteBe64(Nfta.Rule.Handle, r.Handle!.Value);
                return;
            case NftVerb.Replace:
                w.WriteString(Nfta.Rule.Chain, r.Chain);
                w.WriteBe64(Nfta.Rule.Handle, r.Handle!.Value);
                ExpressionCodec.EncodeList(w, Nfta.Rule.Expressions, r.Expressions);
                if (UserData.ForComment(r.Comment) is { } rud) w.WriteBytes(Nfta.Rule.UserData, rud);
                return;
        }
        // A rule of a chain bound to a `jump { }` verdict names its chain by the batch-local id.
        if (r.ChainId is { } cid) w.WriteBe32(Nfta.Rule.ChainId, cid);
        else w.WriteString(Nfta.Rule.Chain, r.Chain);
        if (r.Placement.Handle is { } h) w.WriteBe64(Nfta.Rule.Position, h);
        ExpressionCodec.EncodeList(w, Nfta.Rule.Expressions, r.Expressions);
        if (UserData.ForComment(r.Comment) is { } ud) w.WriteBytes(Nfta.Rule.UserData, ud);
        if (r.RuleId is { } id) w.WriteBe32(Nfta.Rule.Id, id);
        if (r.Placement.RuleIdInBatch is { } pid) w.WriteBe32(Nfta.Rule.PositionId, pid);
    }

    private static void WriteSet(NetlinkWriter w, SetOperation s)
    {
        switch (s.Verb)
        {
            case NftVerb.Flush:
                w.WriteString(Nfta.ElemList.Set, s.Name);
                w.WriteString(Nfta.ElemList.Table, s.Table);
                return;
            case NftVerb.Delete or NftVerb.Destroy:
                w.WriteString(Nfta.Set.Table, s.Table);
                if (s.Handle is { } h) w.WriteBe64(Nfta.Set.Handle, h);
                else w.WriteString(Nfta.Set.Name, s.Name);
                return;
        }
        var set = s.Spec!;
        w.WriteString(Nfta.Set.Table, s.Table);
        w.WriteString(Nfta.Set.Name, set.Name);
        w.WriteBe32(Nfta.Set.Flags, set.Flags);
        w.WriteBe32(Nfta.Set.KeyType, set.KeyType);
        w.WriteBe32(Nfta.Set.KeyLen, set.KeyLength);
        if (set.DataType is { } dt) w.WriteBe32(Nfta.Set.DataType, dt);
        if (set.DataLength is { } dl) w.WriteBe32(Nfta.Set.DataLen, dl);
        if (set.ObjectType is { } ot) w.WriteBe32(Nfta.Set.ObjType, ot);
        // libnftnl's order (`nft --debug=mnl`): id, policy, description, timeout, gc interval, user data, expressions
        if (set.SetId is { } id) w.WriteBe32(Nfta.Set.Id, id);
        if (set.Policy is { } p) w.WriteBe32(Nfta.Set.Policy, p);
        if (set.Size is not null || set.ConcatFieldLengths is { Count: > 0 })
        {
            int d = w.BeginNested(Nfta.Set.Desc);
            if (set.Size is { } size) w.WriteBe32(Nfta.SetDesc.Size, size);
            if (set.ConcatFieldLengths is { Count: > 0 } fields)
            {
                int c = w.BeginNested(Nfta.SetDesc.Concat);
                foreach (uint len in fields)
                {
                    int e = w.BeginNested(Nfta.ListElem);
                    w.WriteBe32(Nfta.SetField.Len, len);
                    w.EndNested(e);
                }
                w.EndNested(c);
            }
            w.EndNested(d);
        }
        if (set.TimeoutMs is { } t) w.WriteBe64(Nfta.Set.Timeout, t);
        if (set.GcIntervalMs is { } gc) w.WriteBe32(Nfta.Set.GcInterval, gc);
        if (set.UserData is { Length: > 0 } ud) w.WriteBytes(Nfta.Set.UserData, ud);
        if (set.Expressions is { Count: 1 } one) ExpressionCodec.EncodeSingle(w, Nfta.Set.Expr, one[0]);
        else if (set.Expressions is { Count: > 1 } many) ExpressionCodec.EncodeList(w, Nfta.Set.Expressions, many);
    }

    private static void WriteObject(NetlinkWriter w, ObjectOperation o)
    {
        w.WriteString(Nfta.Obj.Table, o.Table);
        if (o.Verb is NftVerb.Delete or NftVerb.Destroy)
        {
            if (o.Handle is { } h) w.WriteBe64(Nfta.Obj.Handle, h);
            else w.WriteString(Nfta.Obj.Name, o.Name);
            w.WriteBe32(Nfta.Obj.Type, o.ObjectType);
            return;
        }
        w.WriteString(Nfta.Obj.Name, o.Name);
        w.WriteBe32(Nfta.Obj.Type, o.ObjectType);
        int d = w.BeginNested(Nfta.Obj.Data);
        WriteObjectBody(w, o.Body!);
        w.EndNested(d);
        if (UserData.ForComment(o.Comment) is { } ud) w.WriteBytes(Nfta.Obj.UserData, ud);
    }

    private static void WriteObjectBody(NetlinkWriter w, NftObjectBody body)
    {
        switch (body)
        {
            case ExpressionObjectBody e: e.Expression.EncodeData(w); break;
            case RawObjectBody r: w.WriteRaw(r.Data); break;
            case CtHelperObjectBody h:
                w.WriteString(1, h.HelperType); // NFTA_CT_HELPER_NAME, L3PROTO, L4PROTO
                if (h.Layer3 is { } l3) w.WriteBe16(2, l3);
                w.WriteU8(3, h.Layer4);
                break;
            case CtTimeoutObjectBody t:
            {
                if (t.Layer3 is { } family) w.WriteBe16(1, family); // NFTA_CT_TIMEOUT_L3PROTO, L4PROTO, DATA
                w.WriteU8(2, t.Layer4);
                int data = w.BeginNested(3);
                for (int i = 0; i < t.Timeouts.Length; i++) w.WriteBe32((ushort)(i + 1), t.Timeouts[i]);
                w.EndNested(data);
                break;
            }
            case CtExpectationObjectBody x:
                w.WriteBe16(1, x.Layer3); // NFTA_CT_EXPECT_L3PROTO
                if (x.Layer4 is { } l4) w.WriteU8(2, l4);
                if (x.Port is { } port) w.WriteBe16(3, port);
                if (x.TimeoutMs is { } timeout) w.WriteHost32(4, timeout); // NFTA_CT_EXPECT_TIMEOUT is a host-order u32
                if (x.Size is { } size) w.WriteU8(5, size);
                break;
        }
    }
}
