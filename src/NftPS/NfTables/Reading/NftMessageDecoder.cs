using System.Buffers.Binary;
using NftPS.Netlink;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.NfTables.Reading;

/// <summary>Turns nf_tables dump messages into model objects. Each method takes the family from nfgenmsg and the
/// attribute run after it, so byte tests can feed inline bytes. Kernel dumps never set NLA_F_NESTED, so nests are
/// known from the schema; unknown attributes are skipped; attribute order is never assumed.</summary>
internal static class NftMessageDecoder
{
    public static NftTable DecodeTable(in NetlinkMessage m) => DecodeTable((NftFamily)m.Family, m.Attributes);
    public static NftChain DecodeChain(in NetlinkMessage m) => DecodeChain((NftFamily)m.Family, m.Attributes);
    public static NftRule DecodeRule(in NetlinkMessage m) => DecodeRule((NftFamily)m.Family, m.Attributes);
    public static NftSet DecodeSet(in NetlinkMessage m) => DecodeSet((NftFamily)m.Family, m.Attributes);
    public static NftNamedObject DecodeObject(in NetlinkMessage m) => DecodeObject((NftFamily)m.Family, m.Attributes);
    public static NftFlowtable DecodeFlowtable(in NetlinkMessage m) => DecodeFlowtable((NftFamily)m.Family, m.Attributes);

    public static NftTable DecodeTable(NftFamily family, ReadOnlySpan<byte> attributes)
    {
        var t = new NftTable { Family = family };
        var r = new NetlinkAttributeReader(attributes);
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case 1: t.Name = a.GetString(); break;
                case 2: t.Flags = a.GetBe32(); break;
                case 3: t.Use = a.GetBe32(); break;
                case 4: t.Handle = a.GetBe64(); break;
                case 6: t.UserData = a.GetBytes(); t.Comment = UserData.GetComment(a.Payload); break;
                case 7: t.Owner = a.GetBe32(); break;
            }
        }
        return t;
    }

    public static NftChain DecodeChain(NftFamily family, ReadOnlySpan<byte> attributes)
    {
        var c = new NftChain { Family = family };
        var r = new NetlinkAttributeReader(attributes);
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case 1: c.Table = a.GetString(); break;
                case 2: c.Handle = a.GetBe64(); break;
                case 3: c.Name = a.GetString(); break;
                case 4: DecodeHook(a.Payload, out var num, out var prio, out var devs); c.HookNumber = num; c.Priority = prio; c.Devices = devs; break;
                case 5: c.Policy = a.GetBe32() switch { 0 => "drop", 1 => "accept", var v => v.ToString() }; break;
                case 6: c.Use = a.GetBe32(); break;
                case 7: c.Type = a.GetString(); break;
                case 8:
                    var cr = a.GetNested();
                    while (cr.TryRead(out var ca))
                    {
                        if (ca.Type == 1) c.Bytes = ca.GetBe64();
                        else if (ca.Type == 2) c.Packets = ca.GetBe64();
                    }
                    break;
                case 10: c.Flags = a.GetBe32(); break;
                case 12: c.UserData = a.GetBytes(); c.Comment = UserData.GetComment(a.Payload); break;
            }
        }
        if (c.HookNumber is uint hook)
        {
            c.Hook = NftHooks.HookName(family, hook);
            c.PriorityText = NftHooks.FormatPriority(family, hook, c.Priority ?? 0);
        }
        return c;
    }

    // NFTA_HOOK_*: 1 HOOKNUM, 2 PRIORITY (signed), 3 DEV, 4 DEVS (chains); flowtables use 3 for DEVS.
    private static void DecodeHook(ReadOnlySpan<byte> nest, out uint? hook, out int? priority, out string[] devices,
        bool flowtable = false)
    {
        hook = null;
        priority = null;
        var devs = new List<string>();
        string? single = null;
        var r = new NetlinkAttributeReader(nest);
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case 1: hook = a.GetBe32(); break;
                case 2: priority = a.GetBe32Signed(); break;
                case 3 when !flowtable: single = a.GetString(); break;
                case 3 when flowtable:
                case 4 when !flowtable:
                    var dr = a.GetNested();
                    while (dr.TryRead(out var d)) if (d.Type == 1) devs.Add(d.GetString());
                    break;
            }
        }
        // The kernel reports a single-device chain both as DEV and inside DEVS.
        if (devs.Count == 0 && single is not null) devs.Add(single);
        // nft sorts device names (qsort with strcmp) before printing them.
        devs.Sort(StringComparer.Ordinal);
        devices = devs.Count == 0 ? Array.Empty<string>() : devs.ToArray();
    }

    public static NftRule DecodeRule(NftFamily family, ReadOnlySpan<byte> attributes)
    {
        var rule = new NftRule { Family = family };
        var r = new NetlinkAttributeReader(attributes);
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case 1: rule.Table = a.GetName(); break;
                case 2: rule.Chain = a.GetName(); break;
                case 3: rule.Handle = a.GetBe64(); break;
                case 4: rule.RawExpressions = a.GetBytes(); break;
                case 6: rule.PreviousHandle = a.GetBe64(); break;
                case 7: rule.UserData = a.GetBytes(); rule.Comment = UserData.GetComment(a.Payload); break;
            }
        }
        ScanRuleExpressions(rule);
        rule.Expressions = DecodeExpressionList(rule.RawExpressions, out bool failed);
        if (failed) rule.HasUndecodedExpressions = true;
        return rule;
    }

    /// <summary>Typed expressions of a NFTA_*_EXPRESSIONS payload; unknown kinds stay raw inside the codec, and a
    /// malformed list leaves the typed view empty (the raw bytes are still kept by the caller).</summary>
    private static IReadOnlyList<Expression> DecodeExpressionList(ReadOnlySpan<byte> list, out bool failed)
    {
        failed = false;
        if (list.IsEmpty) return Array.Empty<Expression>();
        try
        {
            return ExpressionCodec.DecodeList(list);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            failed = true;
            return Array.Empty<Expression>();
        }
    }

    private static IReadOnlyList<Expression> DecodeSingleExpression(ReadOnlySpan<byte> expression)
    {
        try
        {
            return new[] { ExpressionCodec.DecodeSingle(expression) };
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            return Array.Empty<Expression>();
        }
    }

    /// <summary>Fills the counter values and the final verdict straight from the raw expressions, so they are
    /// there whether or not the typed expression codec knows every expression of the rule.</summary>
    private static void ScanRuleExpressions(NftRule rule)
    {
        var list = new NetlinkAttributeReader(rule.RawExpressions);
        while (list.TryRead(out var elem))
        {
            if (elem.Type != 1) continue;
            ReadExpression(elem.Payload, out string name, out var data);
            switch (name)
            {
                case "counter":
                    ReadCounter(data, out ulong packets, out ulong bytes);
                    rule.Counter = packets;
                    rule.Bytes = bytes;
                    break;
                case "immediate":
                    if (TryReadImmediateVerdict(data, out var verdict)) rule.Verdict = verdict.ToString();
                    break;
                case "reject": rule.Verdict = "reject"; break;
                case "queue": rule.Verdict = "queue"; break;
            }
        }
    }

    /// <summary>Splits one expression (NFTA_EXPR_NAME, NFTA_EXPR_DATA) into its name and data nest.</summary>
    public static void ReadExpression(ReadOnlySpan<byte> expression, out string name, out ReadOnlySpan<byte> data)
    {
        name = "";
        data = default;
        var r = new NetlinkAttributeReader(expression);
        while (r.TryRead(out var a))
        {
            if (a.Type == 1) name = a.GetName();
            else if (a.Type == 2) data = a.Payload;
        }
    }

    /// <summary>The expression names in a NFTA_*_EXPRESSIONS list.</summary>
    public static string[] ExpressionNames(ReadOnlySpan<byte> list)
    {
        var names = new List<string>();
        var r = new NetlinkAttributeReader(list);
        while (r.TryRead(out var elem))
        {
            if (elem.Type != 1) continue;
            ReadExpression(elem.Payload, out string name, out _);
            names.Add(name);
        }
        return names.ToArray();
    }

    private static void ReadCounter(ReadOnlySpan<byte> data, out ulong packets, out ulong bytes)
    {
        packets = 0;
        bytes = 0;
        var r = new NetlinkAttributeReader(data);
        while (r.TryRead(out var a))
        {
            if (a.Type == 1) bytes = a.GetBe64();
            else if (a.Type == 2) packets = a.GetBe64();
        }
    }

    private static bool TryReadImmediateVerdict(ReadOnlySpan<byte> data, out NftVerdict verdict)
    {
        verdict = null!;
        uint? dreg = null;
        NftVerdict? found = null;
        var r = new NetlinkAttributeReader(data);
        while (r.TryRead(out var a))
        {
            if (a.Type == 1) dreg = a.GetBe32();
            else if (a.Type == 2) found = DecodeDataVerdict(a.Payload);
        }
        if (dreg != 0 || found is null) return false;
        verdict = found;
        return true;
    }

    /// <summary>The verdict inside an NFTA_DATA_* nest, or null when it holds a value.</summary>
    public static NftVerdict? DecodeDataVerdict(ReadOnlySpan<byte> dataNest)
    {
        var r = new NetlinkAttributeReader(dataNest);
        while (r.TryRead(out var a))
        {
            if (a.Type != 2) continue;
            int code = 0;
            string? chain = null;
            uint? chainId = null;
            var vr = a.GetNested();
            while (vr.TryRead(out var v))
            {
                switch (v.Type)
                {
                    case 1: code = v.GetBe32Signed(); break;
                    case 2: chain = v.GetString(); break;
                    case 3: chainId = v.GetBe32(); break;
                }
            }
            return new NftVerdict((VerdictCode)code, chain, chainId);
        }
        return null;
    }

    /// <summary>The value bytes inside an NFTA_DATA_* nest (NFTA_DATA_VALUE), or null.</summary>
    public static byte[]? DecodeDataValue(ReadOnlySpan<byte> dataNest)
    {
        var r = new NetlinkAttributeReader(dataNest);
        while (r.TryRead(out var a))
            if (a.Type == 1) return a.GetBytes();
        return null;
    }

    public static NftSet DecodeSet(NftFamily family, ReadOnlySpan<byte> attributes)
    {
        var s = new NftSet { Family = family };
        var r = new NetlinkAttributeReader(attributes);
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case 1: s.Table = a.GetString(); break;
                case 2: s.Name = a.GetString(); break;
                case 3: s.Flags = a.GetBe32(); break;
                case 4: s.KeyType = a.GetBe32(); break;
                case 5: s.KeyLength = a.GetBe32(); break;
                case 6: s.DataType = a.GetBe32(); break;
                case 7: s.DataLength = a.GetBe32(); break;
                case 8: s.Policy = a.GetBe32(); break;
                case 9: DecodeSetDesc(a.Payload, s); break;
                case 11: s.Timeout = TimeSpan.FromMilliseconds(a.GetBe64()); break;
                case 12: s.GcInterval = TimeSpan.FromMilliseconds(a.GetBe32()); break;
                case 13: s.UserData = a.GetBytes(); DecodeSetUserData(a.Payload, s); break;
                case 15: s.ObjectType = a.GetBe32(); break;
                case 16: s.Handle = a.GetBe64(); break;
                case 17:
                    s.RawExpression = a.GetBytes();
                    ReadExpression(a.Payload, out string name, out _);
                    s.ExpressionNames = new[] { name };
                    s.Expressions = DecodeSingleExpression(a.Payload);
                    break;
                case 18:
                    s.RawExpressions = a.GetBytes();
                    s.ExpressionNames = ExpressionNames(a.Payload);
                    s.Expressions = DecodeExpressionList(a.Payload, out _);
                    break;
                case 19 when a.Payload.Length > 0 && a.Payload[^1] == 0: s.Backend = a.GetString(); break;
                case 20 when a.Payload.Length == 4: s.KernelElementCount = a.GetBe32(); break;
            }
        }
        return s;
    }

    private static void DecodeSetDesc(ReadOnlySpan<byte> nest, NftSet s)
    {
        var r = new NetlinkAttributeReader(nest);
        while (r.TryRead(out var a))
        {
            if (a.Type == 1) s.Size = a.GetBe32();
            else if (a.Type == 2)
            {
                var fields = new List<uint>();
                var lr = a.GetNested();
                while (lr.TryRead(out var elem))
                {
                    if (elem.Type != 1) continue;
                    var er = elem.GetNested();
                    while (er.TryRead(out var f)) if (f.Type == 1) fields.Add(f.GetBe32());
                }
                s.ConcatFieldLengths = fields.ToArray();
            }
        }
    }

    /// <summary>Reads set user data into the set: byte orders, auto-merge, typeof descriptions, data interval, comment.</summary>
    public static void DecodeSetUserData(ReadOnlySpan<byte> data, NftSet s)
    {
        var r = new UserDataReader(data);
        while (r.TryRead(out byte type, out var value))
        {
            uint? u32 = value.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(value) : null;
            switch (type)
            {
                case UserData.SetKeyByteOrder: s.KeyByteOrder = u32; break;
                case UserData.SetDataByteOrder: s.DataByteOrder = u32; break;
                case UserData.SetMergeElements: s.AutoMerge = u32 is > 0; break;
                case UserData.SetKeyTypeof: s.KeyTypeof = value.ToArray(); break;
                case UserData.SetDataTypeof: s.DataTypeof = value.ToArray(); break;
                case UserData.SetDataInterval: s.DataInterval = u32 is > 0; break;
                case UserData.SetComment: s.Comment = UserData.DecodeString(value); break;
            }
        }
    }

    /// <summary>Decodes the elements of one NEWSETELEM dump message, calling <paramref name="add"/> for each.
    /// Strings are shared with the set so a million elements cost one small object and their key each.</summary>
    public static void DecodeSetElements(ReadOnlySpan<byte> attributes, NftSet set, Action<NftSetElement> add)
    {
        var r = new NetlinkAttributeReader(attributes);
        while (r.TryRead(out var a))
        {
            if (a.Type != 3) continue;
            var list = a.GetNested();
            while (list.TryRead(out var elem))
            {
                if (elem.Type == 1) add(DecodeSetElement(elem.Payload, set));
            }
        }
    }

    public static NftSetElement DecodeSetElement(ReadOnlySpan<byte> element, NftSet set)
    {
        var e = new NftSetElement
        {
            Family = set.Family, Table = set.Table, SetName = set.Name,
            Host = set.Host, NetworkNamespace = set.NetworkNamespace,
        };
        var r = new NetlinkAttributeReader(element);
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case 1: e.Key = DecodeDataValue(a.Payload); break;
                case 2:
                    var verdict = DecodeDataVerdict(a.Payload);
                    if (verdict is not null) e.Verdict = verdict;
                    else e.Data = DecodeDataValue(a.Payload);
                    break;
                case 3: e.Flags = a.GetBe32(); break;
                case 4: e.Timeout = TimeSpan.FromMilliseconds(a.GetBe64()); break;
                case 5: e.Expires = TimeSpan.FromMilliseconds(a.GetBe64()); break;
                case 6: e.UserData = a.GetBytes(); e.Comment = UserData.GetComment(a.Payload); break;
                case 7:
                    e.RawExpressions = a.GetBytes();
                    e.RawExpressionIsSingle = true;
                    ScanElementExpression(a.Payload, e);
                    e.Expressions = DecodeSingleExpression(a.Payload);
                    break;
                case 9: e.ObjectReference = a.GetString(); break;
                case 10: e.KeyEnd = DecodeDataValue(a.Payload); break;
                case 11:
                    e.RawExpressions = a.GetBytes();
                    var lr = a.GetNested();
                    while (lr.TryRead(out var le)) if (le.Type == 1) ScanElementExpression(le.Payload, e);
                    e.Expressions = DecodeExpressionList(a.Payload, out _);
                    break;
            }
        }
        return e;
    }

    private static void ScanElementExpression(ReadOnlySpan<byte> expression, NftSetElement e)
    {
        ReadExpression(expression, out string name, out var data);
        if (name != "counter") return;
        ReadCounter(data, out ulong packets, out ulong bytes);
        e.Counter = packets;
        e.Bytes = bytes;
    }

    public static NftNamedObject DecodeObject(NftFamily family, ReadOnlySpan<byte> attributes)
    {
        var o = new NftNamedObject { Family = family };
        var r = new NetlinkAttributeReader(attributes);
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case 1: o.Table = a.GetString(); break;
                case 2: o.Name = a.GetString(); break;
                case 3: o.Type = (NftObjectType)a.GetBe32(); break;
                case 4: o.Data = a.GetBytes(); break;
                case 5: o.Use = a.GetBe32(); break;
                case 6: o.Handle = a.GetBe64(); break;
                case 8: o.UserData = a.GetBytes(); o.Comment = UserData.GetComment(a.Payload); break;
            }
        }
        NamedObjectBody.Fill(o);
        return o;
    }

    public static NftFlowtable DecodeFlowtable(NftFamily family, ReadOnlySpan<byte> attributes)
    {
        var f = new NftFlowtable { Family = family };
        var r = new NetlinkAttributeReader(attributes);
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case 1: f.Table = a.GetString(); break;
                case 2: f.Name = a.GetString(); break;
                case 3:
                    DecodeHook(a.Payload, out var num, out var prio, out var devs, flowtable: true);
                    f.HookNumber = num ?? 0;
                    f.Priority = prio ?? 0;
                    f.Devices = devs;
                    break;
                case 4: f.Use = a.GetBe32(); break;
                case 5: f.Handle = a.GetBe64(); break;
                case 7: f.Flags = a.GetBe32(); break;
            }
        }
        f.Hook = NftHooks.HookName(NftFamily.Netdev, f.HookNumber);
        f.PriorityText = NftHooks.FormatPriority(NftFamily.Netdev, f.HookNumber, f.Priority);
        return f;
    }
}
