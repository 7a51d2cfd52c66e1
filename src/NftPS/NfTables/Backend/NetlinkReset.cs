using NftPS.Netlink;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Writing;
using static NftPS.Netlink.NetlinkConstants;

namespace NftPS.NfTables.Backend;

/// <summary>The netlink side of a reset: one GET request of the reset kind (NFT_MSG_GETOBJ_RESET or
/// NFT_MSG_GETRULE_RESET), whose answer is the object as it was before the kernel zeroed it.</summary>
internal static class NetlinkReset
{
    public static IReadOnlyList<NftObjectBase> Reset(NfTablesConnection connection, ResetOperation operation, CancellationToken cancellation)
    {
        operation.Validate();
        string text = operation.ToCommandText();
        var before = new List<NftObjectBase>();
        switch (operation)
        {
            case ObjectResetOperation o:
                connection.Request(NfTablesMessageType.GetObjectReset, o.Family, (ushort)(NLM_F_REQUEST | NLM_F_ACK), w =>
                {
                    w.WriteString(Nfta.Obj.Table, o.Table);
                    w.WriteString(Nfta.Obj.Name, o.Name);
                    w.WriteBe32(Nfta.Obj.Type, o.ObjectType);
                }, (in NetlinkMessage m) =>
                {
                    if (m.NfTablesType == (int)NfTablesMessageType.NewObject) before.Add(NftMessageDecoder.DecodeObject(m));
                }, text, expectDone: false, cancellation);
                break;
            case RuleResetOperation r:
                connection.Request(NfTablesMessageType.GetRuleReset, r.Family, (ushort)(NLM_F_REQUEST | NLM_F_ACK), w =>
                {
                    w.WriteString(Nfta.Rule.Table, r.Table);
                    w.WriteString(Nfta.Rule.Chain, r.Chain);
                    w.WriteBe64(Nfta.Rule.Handle, r.Handle);
                }, (in NetlinkMessage m) =>
                {
                    if (m.NfTablesType == (int)NfTablesMessageType.NewRule) before.Add(NftMessageDecoder.DecodeRule(m));
                }, text, expectDone: false, cancellation);
                break;
            case ObjectsResetOperation d:
                // A dump: the kernel filters on the table (when named) and the object type, and resets what it lists.
                connection.Dump(NfTablesMessageType.GetObjectReset, d.Family, w =>
                {
                    if (d.HasTable) w.WriteString(Nfta.Obj.Table, d.Table);
                    w.WriteBe32(Nfta.Obj.Type, d.ObjectType);
                }, (in NetlinkMessage m) =>
                {
                    if (m.NfTablesType == (int)NfTablesMessageType.NewObject) before.Add(NftMessageDecoder.DecodeObject(m));
                }, text, cancellation);
                break;
            default:
                throw new NftOperationException(operation, "this reset has no netlink request");
        }
        // The kernel answers a reset it performed with the object; an acknowledgement alone means nothing was read back.
        if (before.Count == 0 && operation is not ObjectsResetOperation) throw new InvalidDataException($"The kernel acknowledged '{text}' without the values it reset.");
        foreach (var o in before)
        {
            o.Host = NftObjectBase.LocalHostName;
            o.NetworkNamespace = connection.NetworkNamespace;
        }
        return before;
    }
}
