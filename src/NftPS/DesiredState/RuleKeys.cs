using NftPS.Netlink;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.DesiredState;

/// <summary>The anonymous sets a rule may refer to: by batch id (a compiled rule's own sets) or by name (a live
/// table's `__set%d` sets).</summary>
internal sealed class AnonymousSets
{
    private readonly Dictionary<uint, NftSet> _byId = new();
    private readonly Dictionary<string, NftSet> _byName = new(StringComparer.Ordinal);

    public void Add(NftSet set, uint? id)
    {
        if (id is { } i) _byId[i] = set;
        else _byName[set.Name] = set;
    }

    public void Clear()
    {
        _byId.Clear();
        _byName.Clear();
    }

    public NftSet? Find(string name, uint? id) =>
        id is { } i && _byId.TryGetValue(i, out var s) ? s : _byName.TryGetValue(name, out var n) && n.IsAnonymous ? n : null;
}

/// <summary>A rule's semantic identity: its kernel expressions with state masked (counter values, quota used,
/// last used), batch ids dropped, each anonymous set replaced by its content (types, flags, elements sorted), and
/// its comment, as one byte string. A rule written by nft and read back has the key of the same rule compiled by
/// NftPS, so equal keys mean "leave it alone".</summary>
internal static class RuleKeys
{
    private const uint AnonymousContentFlags = 0x4 | 0x8 | 0x40 | 0x80; // interval, map, object, concat

    public sealed record Info(byte[] Key, IReadOnlyList<string> SetNames, IReadOnlyList<string> ObjectNames);

    /// <summary>Fills a desired rule's key from its expressions and its implied anonymous sets.</summary>
    public static void Fill(DesiredRule rule, AnonymousSets scratch)
    {
        scratch.Clear();
        var w = new NetlinkWriter(256);
        NftSet? current = null;
        foreach (var op in rule.Implied)
        {
            switch (op)
            {
                case NftPS.NfTables.Operations.SetOperation s when s.Spec is not null:
                    w.Reset();
                    NftPS.NfTables.Operations.NftOperationEncoder.WriteAttributes(w, s);
                    current = NftPS.NfTables.Reading.NftMessageDecoder.DecodeSet(s.Family, w.WrittenSpan);
                    scratch.Add(current, s.Spec.SetId);
                    break;
                case NftPS.NfTables.Operations.ElementOperation e:
                    var target = (e.SetId is { } id ? scratch.Find(e.Set, id) : null) ?? current;
                    if (target is null) break;
                    w.Reset();
                    NftPS.NfTables.Operations.NftOperationEncoder.WriteAttributes(w, e);
                    NftPS.NfTables.Reading.NftMessageDecoder.DecodeSetElements(w.WrittenSpan, target, target.Elements.Add);
                    break;
            }
        }
        var info = Compute(rule.Model.Expressions, rule.Model.Comment, scratch);
        rule.Key = info.Key;
        rule.SetNames = info.SetNames;
        rule.ObjectNames = info.ObjectNames;
    }

    public static Info Compute(IReadOnlyList<Expression> expressions, string? comment, AnonymousSets anonymous)
    {
        var w = new NetlinkWriter(256);
        var masked = new Expression[expressions.Count];
        var contents = new List<NftSet>();
        List<string>? sets = null, objects = null;
        for (int i = 0; i < expressions.Count; i++)
        {
            var e = expressions[i];
            switch (e)
            {
                case LookupExpression l:
                    if (anonymous.Find(l.SetName, l.SetId) is { } a) { contents.Add(a); e = l with { SetName = "", SetId = null }; }
                    else (sets ??= new()).Add(l.SetName);
                    break;
                case DynsetExpression d: (sets ??= new()).Add(d.SetName); break;
                case ObjrefExpression o:
                    if (o.SetName is { } sn)
                    {
                        if (anonymous.Find(sn, o.SetId) is { } a2) { contents.Add(a2); e = o with { SetName = "", SetId = null }; }
                        else (sets ??= new()).Add(sn);
                    }
                    if (o.ObjectName is { } on) (objects ??= new()).Add(on);
                    break;
            }
            masked[i] = Mask(e);
        }
        ExpressionCodec.EncodeList(w, 1, masked);
        foreach (var set in contents) WriteContent(w, set);
        if (comment is not null) w.WriteString(3, comment);
        return new Info(w.ToArray(), (IReadOnlyList<string>?)sets ?? Array.Empty<string>(), (IReadOnlyList<string>?)objects ?? Array.Empty<string>());
    }

    /// <summary>The expression without the state the kernel reports in dumps and a new rule does not carry, and
    /// without batch-local ids.</summary>
    public static Expression Mask(Expression e) => e switch
    {
        CounterExpression c => c with { Bytes = null, Packets = null },
        QuotaExpression q => q with { Consumed = null, Flags = (q.Flags ?? QuotaFlags.None) & QuotaFlags.Invert },
        LastExpression l => l with { Set = null, Milliseconds = null },
        LookupExpression l => l with { SetId = null, Flags = l.Flags ?? LookupFlags.None },
        DynsetExpression d => d with
        {
            SetId = null,
            // The kernel reports a timeout (0: the set's) and flags it was not sent.
            Timeout = d.Timeout ?? 0,
            // NFT_DYNSET_F_EXPR is the kernel's own note that expressions follow; it reports only inversion.
            Flags = (d.Flags ?? DynsetFlags.None) & DynsetFlags.Invert,
            ElementExpression = d.ElementExpression is { } x ? Mask(x) : null,
            ElementExpressions = d.ElementExpressions?.Select(Mask).ToArray(),
        },
        ObjrefExpression o => o with { SetId = null },
        ConnlimitExpression c => c with { Flags = c.Flags ?? ConnlimitFlags.None },
        // The kernel reports the operator it defaulted to when none was sent.
        BitwiseExpression b => b with { Operator = b.EffectiveOperator },
        // Syslog logging (no group) at the kernel's default level unless one was sent.
        LogExpression l when l.Group is null => l with { Level = l.Level ?? LogLevel.Warning },
        // A TCP reset has no ICMP code; the kernel does not report the one sent.
        RejectExpression r when r.Type == RejectType.TcpReset => r with { IcmpCode = null },
        // A range's maximum register defaults to its minimum, and the kernel reports it so.
        NatExpression n => n with
        {
            AddressMaxRegister = n.AddressMaxRegister ?? n.AddressMinRegister, ProtoMaxRegister = n.ProtoMaxRegister ?? n.ProtoMinRegister,
            // The kernel sets "map addresses" (and "map ports") itself when a register gives them.
            Flags = (n.Flags ?? 0) | (n.AddressMinRegister is not null ? NatRangeFlags.MapIps : 0) |
                    (n.ProtoMinRegister is not null ? NatRangeFlags.ProtoSpecified : 0),
        },
        // The kernel reports an extension header's flags and operation (0: none, IPv6) whether sent or not.
        ExthdrExpression x => x with { Flags = x.Flags ?? ExthdrFlags.None, Operation = x.Operation ?? ExthdrOperation.Ipv6 },
        // The kernel reports the hash type always and an offset only when it is not 0.
        HashExpression h => h with { Type = h.EffectiveType, Offset = h.Offset is 0 ? null : h.Offset },
        RedirExpression r => r with { ProtoMaxRegister = r.ProtoMaxRegister ?? r.ProtoMinRegister },
        MasqExpression m => m with { ProtoMaxRegister = m.ProtoMaxRegister ?? m.ProtoMinRegister },
        _ => e,
    };

    private const uint VerdictType = 0xffffff00;

    /// <summary>A verdict map's data length as the kernel reports it (the size of its verdict data) whatever was sent.</summary>
    public static uint DataLength(NftSet set) => set.DataType == VerdictType ? 0 : set.DataLength ?? 0;

    private static void WriteContent(NetlinkWriter w, NftSet set)
    {
        int n = w.BeginNested(2);
        w.WriteBe32(1, set.KeyType);
        w.WriteBe32(2, set.KeyLength);
        w.WriteBe32(3, set.DataType ?? 0);
        w.WriteBe32(4, DataLength(set));
        w.WriteBe32(5, set.Flags & AnonymousContentFlags);
        var elements = new List<byte[]>(set.Elements.Count);
        foreach (var e in set.Elements)
        {
            var id = ElementKeys.Identity(e).Bytes;
            var value = ElementKeys.Value(e).Bytes;
            var b = new byte[id.Length + value.Length + 2];
            b[0] = (byte)id.Length;
            b[1] = (byte)(id.Length >> 8);
            id.CopyTo(b, 2);
            value.CopyTo(b, 2 + id.Length);
            elements.Add(b);
        }
        elements.Sort((x, y) => x.AsSpan().SequenceCompareTo(y));
        foreach (var b in elements) w.WriteBytes(6, b);
        w.EndNested(n);
    }
}
