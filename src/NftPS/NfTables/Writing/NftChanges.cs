using NftPS.NfTables.Model;
using NftPS.Netlink;
using NftPS.NfTables.Expressions;
using static NftPS.Netlink.NetlinkConstants;

namespace NftPS.NfTables.Writing;

/// <summary>Queues nf_tables changes on a batch with the flags nft 1.0.6 uses (NETLINK-NOTES §2) and a
/// description in nft's own command syntax, which is what -WhatIf prints and what errors name.</summary>
internal static partial class NftChanges
{
    // A single attribute is limited to 65535 bytes by its u16 length; leave room for the headers around it.
    private const int MaxElementsPerMessage = 60_000;

    public static BatchOperation AddTable(this NftBatch batch, NftFamily family, string name, uint flags = 0,
        string? comment = null, bool create = false)
    {
        NftIdentifier.CheckName("table name", name);
        byte[]? userData = UserData.ForComment(comment);
        string body = Body(flags != 0 && (flags & 1) != 0 ? "flags dormant;" : null, comment is null ? null : $"comment {Quote(comment)};");
        return batch.Add(NfTablesMessageType.NewTable, create ? NLM_F_EXCL : (ushort)0, family,
            $"{(create ? "create" : "add")} table {family.ToKeyword()} {N(name)}{body}", w =>
            {
                w.WriteString(Nfta.Table.Name, name);
                w.WriteBe32(Nfta.Table.Flags, flags);
                if (userData is not null) w.WriteBytes(Nfta.Table.UserData, userData);
            });
    }

    public static BatchOperation DeleteTable(this NftBatch batch, NftFamily family, string name, ulong? handle = null, bool destroy = false) =>
        batch.Add(destroy ? NfTablesMessageType.DestroyTable : NfTablesMessageType.DelTable, 0, family,
            $"{(destroy ? "destroy" : "delete")} table {family.ToKeyword()} {(handle is { } h ? $"handle {h}" : N(name))}", w =>
            {
                if (handle is { } h) w.WriteBe64(Nfta.Table.Handle, h);
                else w.WriteString(Nfta.Table.Name, name);
            });

    /// <summary>flush table: delete every rule of the table (sets and chains stay).</summary>
    public static BatchOperation FlushTable(this NftBatch batch, NftFamily family, string table) =>
        batch.Add(NfTablesMessageType.DelRule, 0, family, $"flush table {family.ToKeyword()} {N(table)}",
            w => w.WriteString(Nfta.Rule.Table, table));

    /// <summary>flush ruleset: DELTABLE with family 0 (or one family) and no attributes.</summary>
    public static BatchOperation FlushRuleset(this NftBatch batch, NftFamily family = NftFamily.Unspecified) =>
        batch.Add(NfTablesMessageType.DelTable, 0, family,
            family == NftFamily.Unspecified ? "flush ruleset" : $"flush ruleset {family.ToKeyword()}", _ => { });

    public static BatchOperation AddChain(this NftBatch batch, NftFamily family, string table, string name,
        ChainHookSpec? hook = null, string? policy = null, string? comment = null, bool create = false, uint? chainId = null)
    {
        NftIdentifier.CheckName("chain name", name);
        CheckHook(family, hook);
        byte[]? userData = UserData.ForComment(comment);
        string? hookText = hook is null ? null
            : $"type {hook.Type} hook {HookName(family, hook.HookNumber)}{DevicesText(hook.Devices)} priority {hook.Priority};";
        string body = Body(hookText, policy is null ? null : $"policy {policy};", comment is null ? null : $"comment {Quote(comment)};");
        return batch.Add(NfTablesMessageType.NewChain, (ushort)(NLM_F_CREATE | (create ? NLM_F_EXCL : 0)), family,
            $"{(create ? "create" : "add")} chain {family.ToKeyword()} {N(table)} {N(name)}{body}", w =>
            {
                w.WriteString(Nfta.Chain.Table, table);
                w.WriteString(Nfta.Chain.Name, name);
                if (hook is not null)
                {
                    int h = w.BeginNested(Nfta.Chain.Hook);
                    w.WriteBe32(Nfta.Hook.HookNum, hook.HookNumber);
                    w.WriteBe32(Nfta.Hook.Priority, hook.Priority);
                    WriteDevices(w, hook.Devices, Nfta.Hook.Dev, Nfta.Hook.Devs);
                    w.EndNested(h);
                }
                if (policy is not null) w.WriteBe32(Nfta.Chain.Policy, PolicyValue(policy));
                if (hook is not null) w.WriteString(Nfta.Chain.Type, hook.Type);
                if (chainId is { } id) w.WriteBe32(Nfta.Chain.Id, id);
                if (userData is not null) w.WriteBytes(Nfta.Chain.UserData, userData);
            });
    }

    /// <summary>The anonymous chain of a `jump { }` verdict: NEWCHAIN with no name, flagged NFT_CHAIN_BINDING and
    /// known in the batch by <paramref name="chainId"/> (its rules and the binding verdict refer to that id).</summary>
    public static BatchOperation AddBoundChain(this NftBatch batch, NftFamily family, string table, uint chainId) =>
        batch.Add(NfTablesMessageType.NewChain, NLM_F_CREATE, family,
            $"add chain {family.ToKeyword()} {N(table)} (anonymous chain {chainId}, bound to a jump verdict)", w =>
            {
                w.WriteString(Nfta.Chain.Table, table);
                w.WriteBe32(Nfta.Chain.Id, chainId);
                w.WriteBe32(Nfta.Chain.Flags, ChainBindingFlag);
            });

    private const uint ChainBindingFlag = 4; // NFT_CHAIN_BINDING

    /// <summary>Changes the policy of an existing base chain (NEWCHAIN on the existing name, no CREATE).</summary>
    public static BatchOperation SetChainPolicy(this NftBatch batch, NftFamily family, string table, string chain, string policy) =>
        batch.Add(NfTablesMessageType.NewChain, 0, family,
            $"chain {family.ToKeyword()} {N(table)} {N(chain)} {{ policy {policy}; }}", w =>
            {
                w.WriteString(Nfta.Chain.Table, table);
                w.WriteString(Nfta.Chain.Name, chain);
                w.WriteBe32(Nfta.Chain.Policy, PolicyValue(policy));
            });

    /// <summary>rename chain: NEWCHAIN naming the chain by handle with the new name.</summary>
    public static BatchOperation RenameChain(this NftBatch batch, NftFamily family, string table, ulong handle, string oldName, string newName) =>
        batch.Add(NfTablesMessageType.NewChain, 0, family,
            $"rename chain {family.ToKeyword()} {N(table)} {N(oldName)} {N(NftIdentifier.CheckName("chain name", newName))}", w =>
        {
            w.WriteString(Nfta.Chain.Table, table);
            w.WriteBe64(Nfta.Chain.Handle, handle);
            w.WriteString(Nfta.Chain.Name, newName);
        });

    public static BatchOperation DeleteChain(this NftBatch batch, NftFamily family, string table, string name, ulong? handle = null, bool destroy = false) =>
        batch.Add(destroy ? NfTablesMessageType.DestroyChain : NfTablesMessageType.DelChain, 0, family,
            $"{(destroy ? "destroy" : "delete")} chain {family.ToKeyword()} {N(table)} {(handle is { } h ? $"handle {h}" : N(name))}", w =>
            {
                w.WriteString(Nfta.Chain.Table, table);
                if (handle is { } h) w.WriteBe64(Nfta.Chain.Handle, h);
                else w.WriteString(Nfta.Chain.Name, name);
            });

    /// <summary>flush chain: DELRULE{table, chain}.</summary>
    public static BatchOperation FlushChain(this NftBatch batch, NftFamily family, string table, string chain) =>
        batch.Add(NfTablesMessageType.DelRule, 0, family, $"flush chain {family.ToKeyword()} {N(table)} {N(chain)}", w =>
        {
            w.WriteString(Nfta.Rule.Table, table);
            w.WriteString(Nfta.Rule.Chain, chain);
        });

    /// <summary>add/insert rule. <paramref name="ruleText"/> is the rule in nft syntax, used only to describe the operation.</summary>
    public static BatchOperation AddRule(this NftBatch batch, NftFamily family, string table, string chain,
        IReadOnlyList<Expression> expressions, string ruleText, RulePlacement? placement = null, string? comment = null, uint? ruleId = null,
        uint? chainId = null)
    {
        placement ??= RulePlacement.Append;
        byte[]? userData = UserData.ForComment(comment);
        string verb = placement.Insert ? "insert" : "add";
        string where = placement.Handle is { } ph ? $" position {ph}" : placement.RuleIdInBatch is { } pid ? $" index-of-new-rule {pid}" : "";
        string commentText = comment is null ? "" : $" comment {Quote(comment)}";
        ushort flags = (ushort)(NLM_F_CREATE | (placement.Insert ? 0 : NLM_F_APPEND));
        // Written only if read (-WhatIf, errors): a 10,000-rule batch would otherwise format 10,000 strings up front.
        return batch.Add(NfTablesMessageType.NewRule, flags, family,
            () => $"{verb} rule {family.ToKeyword()} {N(table)} {N(chain)}{where} {ruleText}{commentText}", w =>
            {
                w.WriteString(Nfta.Rule.Table, table);
                // A rule of a chain bound to a `jump { }` verdict names its chain by the batch-local id.
                if (chainId is { } cid) w.WriteBe32(Nfta.Rule.ChainId, cid);
                else w.WriteString(Nfta.Rule.Chain, chain);
                if (placement.Handle is { } h) w.WriteBe64(Nfta.Rule.Position, h);
                ExpressionCodec.EncodeList(w, Nfta.Rule.Expressions, expressions);
                if (userData is not null) w.WriteBytes(Nfta.Rule.UserData, userData);
                if (ruleId is { } id) w.WriteBe32(Nfta.Rule.Id, id);
                if (placement.RuleIdInBatch is { } pid2) w.WriteBe32(Nfta.Rule.PositionId, pid2);
            });
    }

    /// <summary>replace rule: NEWRULE with HANDLE and REPLACE.</summary>
    public static BatchOperation ReplaceRule(this NftBatch batch, NftFamily family, string table, string chain, ulong handle,
        IReadOnlyList<Expression> expressions, string ruleText, string? comment = null)
    {
        byte[]? userData = UserData.ForComment(comment);
        string commentText = comment is null ? "" : $" comment {Quote(comment)}";
        return batch.Add(NfTablesMessageType.NewRule, NLM_F_REPLACE, family,
            $"replace rule {family.ToKeyword()} {N(table)} {N(chain)} handle {handle} {ruleText}{commentText}", w =>
            {
                w.WriteString(Nfta.Rule.Table, table);
                w.WriteString(Nfta.Rule.Chain, chain);
                w.WriteBe64(Nfta.Rule.Handle, handle);
                ExpressionCodec.EncodeList(w, Nfta.Rule.Expressions, expressions);
                if (userData is not null) w.WriteBytes(Nfta.Rule.UserData, userData);
            });
    }

    public static BatchOperation DeleteRule(this NftBatch batch, NftFamily family, string table, string chain, ulong handle, bool destroy = false) =>
        batch.Add(destroy ? NfTablesMessageType.DestroyRule : NfTablesMessageType.DelRule, 0, family,
            $"{(destroy ? "destroy" : "delete")} rule {family.ToKeyword()} {N(table)} {N(chain)} handle {handle}", w =>
            {
                w.WriteString(Nfta.Rule.Table, table);
                w.WriteString(Nfta.Rule.Chain, chain);
                w.WriteBe64(Nfta.Rule.Handle, handle);
            });

    /// <summary>add set / add map. <paramref name="definitionText"/> is the body as nft writes it (for the description).</summary>
    public static BatchOperation AddSet(this NftBatch batch, NftFamily family, string table, SetSpec set, string definitionText, bool create = false)
    {
        string kind = (set.Flags & 0x48) != 0 ? "map" : "set"; // map or object map
        NftIdentifier.CheckName(kind + " name", set.Name);
        return batch.Add(NfTablesMessageType.NewSet, (ushort)(NLM_F_CREATE | (create ? NLM_F_EXCL : 0)), family,
            $"{(create ? "create" : "add")} {kind} {family.ToKeyword()} {N(table)} {N(set.Name)} {{ {definitionText} }}", w =>
            {
                w.WriteString(Nfta.Set.Table, table);
                w.WriteString(Nfta.Set.Name, set.Name);
                w.WriteBe32(Nfta.Set.Flags, set.Flags);
                w.WriteBe32(Nfta.Set.KeyType, set.KeyType);
                w.WriteBe32(Nfta.Set.KeyLen, set.KeyLength);
                if (set.DataType is { } dt) w.WriteBe32(Nfta.Set.DataType, dt);
                if (set.DataLength is { } dl) w.WriteBe32(Nfta.Set.DataLen, dl);
                if (set.ObjectType is { } ot) w.WriteBe32(Nfta.Set.ObjType, ot);
                if (set.TimeoutMs is { } t) w.WriteBe64(Nfta.Set.Timeout, t);
                if (set.GcIntervalMs is { } gc) w.WriteBe32(Nfta.Set.GcInterval, gc);
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
                if (set.SetId is { } id) w.WriteBe32(Nfta.Set.Id, id);
                if (set.UserData is { Length: > 0 } ud) w.WriteBytes(Nfta.Set.UserData, ud);
                if (set.Expressions is { Count: 1 } one) ExpressionCodec.EncodeSingle(w, Nfta.Set.Expr, one[0]);
                else if (set.Expressions is { Count: > 1 } many) ExpressionCodec.EncodeList(w, Nfta.Set.Expressions, many);
            });
    }

    public static BatchOperation DeleteSet(this NftBatch batch, NftFamily family, string table, string name, ulong? handle = null, bool isMap = false, bool destroy = false) =>
        batch.Add(destroy ? NfTablesMessageType.DestroySet : NfTablesMessageType.DelSet, 0, family,
            $"{(destroy ? "destroy" : "delete")} {(isMap ? "map" : "set")} {family.ToKeyword()} {N(table)} {(handle is { } h ? $"handle {h}" : N(name))}", w =>
            {
                w.WriteString(Nfta.Set.Table, table);
                if (handle is { } h) w.WriteBe64(Nfta.Set.Handle, h);
                else w.WriteString(Nfta.Set.Name, name);
            });

    /// <summary>flush set: DELSETELEM{set, table} with no elements.</summary>
    public static BatchOperation FlushSet(this NftBatch batch, NftFamily family, string table, string set, bool isMap = false) =>
        batch.Add(NfTablesMessageType.DelSetElement, 0, family, $"flush {(isMap ? "map" : "set")} {family.ToKeyword()} {N(table)} {set}", w =>
        {
            w.WriteString(Nfta.ElemList.Set, set);
            w.WriteString(Nfta.ElemList.Table, table);
        });

    /// <summary>Adds elements, split into as many NEWSETELEM messages as the 64 KiB attribute limit needs (all in this batch).
    /// <paramref name="describe"/> gives each element's nft text for the description.</summary>
    public static IReadOnlyList<BatchOperation> AddElements(this NftBatch batch, NftFamily family, string table, string set,
        IEnumerable<ElementSpec> elements, Func<ElementSpec, string> describe, uint? setId = null, bool create = false) =>
        QueueElements(batch, NfTablesMessageType.NewSetElement, (ushort)(NLM_F_CREATE | (create ? NLM_F_EXCL : 0)),
            create ? "create" : "add", family, table, set, elements, describe, setId);

    public static IReadOnlyList<BatchOperation> DeleteElements(this NftBatch batch, NftFamily family, string table, string set,
        IEnumerable<ElementSpec> elements, Func<ElementSpec, string> describe, bool destroy = false) =>
        QueueElements(batch, destroy ? NfTablesMessageType.DestroySetElement : NfTablesMessageType.DelSetElement, 0,
            destroy ? "destroy" : "delete", family, table, set, elements, describe, null);

    /// <summary>Elements an element message lists in its description (errors, -WhatIf); the rest are counted, so a
    /// refusal of a message holding thousands of elements stays a readable line.</summary>
    private const int DescribedElements = 16;

    private static string DescribeElements(ElementSpec[] elements, Func<ElementSpec, string> describe) =>
        elements.Length <= DescribedElements
            ? string.Join(", ", elements.Select(describe))
            : string.Join(", ", elements.Take(DescribedElements).Select(describe)) +
              $", … ({elements.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} elements in this message)";

    [ThreadStatic] private static NetlinkWriter? _elementScratch;

    private static IReadOnlyList<BatchOperation> QueueElements(NftBatch batch, NfTablesMessageType type, ushort flags, string verb,
        NftFamily family, string table, string set, IEnumerable<ElementSpec> elements, Func<ElementSpec, string> describe, uint? setId)
    {
        var operations = new List<BatchOperation>();
        // One scratch buffer per thread: a fresh 64 KiB writer per call was most of what a small element
        // transaction allocated. Each message keeps its own copy of the bytes (Flush).
        // Taken out while in use, so an element enumerator that queues elements itself gets its own.
        var chunk = _elementScratch ?? new NetlinkWriter(MaxElementsPerMessage + 4096);
        _elementScratch = null;
        chunk.Reset();
        var members = new List<ElementSpec>();
        void Flush(int length)
        {
            if (length == 0) return;
            byte[] encoded = chunk.WrittenSpan[..length].ToArray();
            // Descriptions are written only if read (-WhatIf, errors): big element lists would otherwise cost a string each.
            var described = members.ToArray();
            operations.Add(batch.Add(type, flags, family,
                () => $"{verb} element {family.ToKeyword()} {N(table)} {N(set)} {{ {DescribeElements(described, describe)} }}", w =>
                {
                    w.WriteString(Nfta.ElemList.Table, table);
                    w.WriteString(Nfta.ElemList.Set, set);
                    if (setId is { } id) w.WriteBe32(Nfta.ElemList.SetId, id);
                    int n = w.BeginNested(Nfta.ElemList.Elements);
                    w.WriteRaw(encoded);
                    w.EndNested(n);
                }));
            members.Clear();
        }
        foreach (var element in elements)
        {
            int before = chunk.Length;
            WriteElement(chunk, element);
            if (chunk.Length > MaxElementsPerMessage)
            {
                // Ship what came before the element that overflowed; it starts the next message.
                Flush(before);
                byte[] last = chunk.WrittenSpan[before..].ToArray();
                chunk.Reset();
                chunk.WriteRaw(last);
            }
            members.Add(element);
        }
        Flush(chunk.Length);
        _elementScratch = chunk;
        return operations;
    }

    /// <summary>One NFTA_LIST_ELEM of an element list, attributes in the order nft sends them.</summary>
    public static void WriteElement(NetlinkWriter w, ElementSpec e)
    {
        int elem = w.BeginNested(Nfta.ListElem);
        if (e.Key is { } key)
        {
            int k = w.BeginNested(Nfta.Elem.Key);
            w.WriteBytes(Nfta.Data.Value, key);
            w.EndNested(k);
        }
        if (e.KeyEnd is { } keyEnd)
        {
            int k = w.BeginNested(Nfta.Elem.KeyEnd);
            w.WriteBytes(Nfta.Data.Value, keyEnd);
            w.EndNested(k);
        }
        if (e.Flags != 0) w.WriteBe32(Nfta.Elem.Flags, e.Flags);
        if (e.TimeoutMs is { } t) w.WriteBe64(Nfta.Elem.Timeout, t);
        if (e.ExpirationMs is { } x) w.WriteBe64(Nfta.Elem.Expiration, x);
        if (e.Data is { } data)
        {
            int d = w.BeginNested(Nfta.Elem.Data);
            w.WriteBytes(Nfta.Data.Value, data);
            w.EndNested(d);
        }
        else if (e.Verdict is { } v)
        {
            int d = w.BeginNested(Nfta.Elem.Data);
            WriteVerdict(w, v);
            w.EndNested(d);
        }
        if (e.ObjectReference is { } obj) w.WriteString(Nfta.Elem.ObjRef, obj);
        if (e.Expressions is { Count: 1 } one) ExpressionCodec.EncodeSingle(w, Nfta.Elem.Expr, one[0]);
        else if (e.Expressions is { Count: > 1 } many) ExpressionCodec.EncodeList(w, Nfta.Elem.Expressions, many);
        if (UserData.ForElement(e.Comment, e.IntervalOpen) is { } ud) w.WriteBytes(Nfta.Elem.UserData, ud);
        w.EndNested(elem);
    }

    /// <summary>NFTA_DATA_VERDICT{CODE, CHAIN|CHAIN_ID}.</summary>
    public static void WriteVerdict(NetlinkWriter w, NftVerdict v)
    {
        int n = w.BeginNested(Nfta.Data.Verdict);
        w.WriteBe32(Nfta.Verdict.Code, (int)v.Code);
        if (v.Chain is not null) w.WriteString(Nfta.Verdict.Chain, v.Chain);
        if (v.ChainId is { } id) w.WriteBe32(Nfta.Verdict.ChainId, id);
        w.EndNested(n);
    }

    /// <summary>add counter/quota/limit/...: NEWOBJ with the type's attributes already encoded by <paramref name="writeData"/>.</summary>
    public static BatchOperation AddObject(this NftBatch batch, NftFamily family, string table, string name, uint objectType,
        string typeKeyword, string bodyText, Action<NetlinkWriter> writeData, string? comment = null, bool create = false)
    {
        NftIdentifier.CheckName(typeKeyword + " name", name);
        byte[]? userData = UserData.ForComment(comment);
        return batch.Add(NfTablesMessageType.NewObject, (ushort)(NLM_F_CREATE | (create ? NLM_F_EXCL : 0)), family,
            $"{(create ? "create" : "add")} {typeKeyword} {family.ToKeyword()} {N(table)} {N(name)} {{ {bodyText} }}", w =>
            {
                w.WriteString(Nfta.Obj.Table, table);
                w.WriteString(Nfta.Obj.Name, name);
                w.WriteBe32(Nfta.Obj.Type, objectType);
                int d = w.BeginNested(Nfta.Obj.Data);
                writeData(w);
                w.EndNested(d);
                if (userData is not null) w.WriteBytes(Nfta.Obj.UserData, userData);
            });
    }

    public static BatchOperation DeleteObject(this NftBatch batch, NftFamily family, string table, string name, uint objectType,
        string typeKeyword, ulong? handle = null, bool destroy = false) =>
        batch.Add(destroy ? NfTablesMessageType.DestroyObject : NfTablesMessageType.DelObject, 0, family,
            $"{(destroy ? "destroy" : "delete")} {typeKeyword} {family.ToKeyword()} {N(table)} {(handle is { } h ? $"handle {h}" : N(name))}", w =>
            {
                w.WriteString(Nfta.Obj.Table, table);
                if (handle is { } h) w.WriteBe64(Nfta.Obj.Handle, h);
                else w.WriteString(Nfta.Obj.Name, name);
                w.WriteBe32(Nfta.Obj.Type, objectType);
            });

    public static uint PolicyValue(string policy) => policy.ToLowerInvariant() switch
    {
        "accept" => 1,
        "drop" => 0,
        _ => throw new ArgumentException($"Unknown chain policy '{policy}': use accept or drop.", nameof(policy)),
    };

    /// <summary>Hook keyword for a family and hook number, the inverse of what the reader decodes.</summary>
    public static string HookName(NftFamily family, uint hook) => family switch
    {
        NftFamily.Netdev => hook switch { 0 => "ingress", 1 => "egress", _ => hook.ToString() },
        NftFamily.Arp => hook switch { 0 => "input", 1 => "output", _ => hook.ToString() },
        _ => hook switch { 0 => "prerouting", 1 => "input", 2 => "forward", 3 => "output", 4 => "postrouting", 5 => "ingress", _ => hook.ToString() },
    };

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

    private static string DevicesText(IReadOnlyList<string>? devices) => devices is null || devices.Count == 0 ? ""
        : devices.Count == 1 ? $" device {Quote(devices[0])}" : $" devices = {{ {string.Join(", ", devices.Select(Quote))} }}";

    /// <summary>What nft checks of a base chain before sending it: each device a valid interface name, and a device
    /// for the ingress hook of inet and netdev and the egress hook of netdev (nft: "Missing `device' in this
    /// chain definition"; the kernel would otherwise create an inet ingress chain with no device).</summary>
    private static void CheckHook(NftFamily family, ChainHookSpec? hook)
    {
        if (hook is null) return;
        foreach (string d in hook.Devices ?? Array.Empty<string>())
        {
            NftIdentifier.CheckInterfaceName("device", d);
            if (d.Length == 0) throw new NftInvalidValueException("device", d, "an interface name cannot be empty");
        }
        bool needsDevice = (family == NftFamily.Inet && hook.HookNumber == 5) || family == NftFamily.Netdev;
        if (needsDevice && (hook.Devices is null || hook.Devices.Count == 0))
            throw new ArgumentException($"Missing `device' in this chain definition: the {HookName(family, hook.HookNumber)} hook of the {family.ToKeyword()} family needs a device (-Device, or `device \"eth0\"` in nft text).");
    }

    /// <summary>A name in a description (-WhatIf, errors): quoted when needed, escaped when nft text cannot hold it,
    /// so the text shown is never more commands than the one operation.</summary>
    private static string N(string name) => NftIdentifier.Display(name);

    private static string Body(params string?[] parts)
    {
        var present = parts.Where(p => p is not null).ToArray();
        return present.Length == 0 ? "" : " { " + string.Join(" ", present) + " }";
    }

    internal static string Quote(string s) => "\"" + NftIdentifier.Visible(s) + "\"";
}
