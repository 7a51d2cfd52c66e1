using NftPS.Language.DataTypes;
using NftPS.Language.Protocols;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Evaluate;

internal sealed partial class RuleEvaluator
{
    private void EvaluateSet(SetStatement s)
    {
        if (s.Target is PayloadNode { Inner: not null } or MetaNode { Inner: not null })
            throw new NftEvaluationException(s.Target.Span, "the packet inside a tunnel cannot be modified");
        EvaluateLhs(s.Target);
        if (s.Target is CtNode { Key.Token: "mark" or "label" or "zone" or "event" or "secmark" or "helper" } or MetaNode or PayloadNode or ExthdrNode)
        {
            if (s.Target is MetaNode m && m.Key.Token is "iifname" or "oifname" or "iif" or "oif" or "l4proto" or "nfproto" or "protocol" && false) { }
        }
        else if (s.Target is CtNode ct)
            throw new NftEvaluationException(ct.Span, $"ct {ct.Key.Token} cannot be set");
        Node v = s.Value;
        EvaluateValueInto(ref v, s.Target);
        s.Value = v;
    }

    private void EvaluateVerdict(VerdictStatement v)
    {
        if (v.Verdict is MapLookupNode map)
        {
            var verdictTemplate = new VerdictNode { Verdict = "", Type = T.Verdict };
            EvaluateLhs(map.Key);
            RequireCtAddressFamily(map.Key);
            if (map.Map is SetRefNode r)
            {
                var set = _ctx.FindSet(r.Name) ?? throw new NftEvaluationException(r.Span, "No such file or directory");
                if (!set.IsVerdictMap) throw new NftEvaluationException(r.Span, "Expression is not a verdict map");
                CheckSetKey(set, map.Key, r.Span);
            }
            else EvaluateSetLiteral((SetNode)map.Map, map.Key, verdictTemplate);
            map.Type = T.Verdict;
        }
    }

    private void EvaluateDynset(DynsetStatement d)
    {
        // A meter declares its own set (a same-named one is the kernel's to refuse, as with nft).
        var set = d.IsMeter ? null : _ctx.FindSet(d.SetName);
        if (set is null && !d.IsMeter) throw new NftEvaluationException(d.SetSpan, "No such file or directory");
        if (set is not null && d.Key is ConcatNode kc && kc.Items.Count == set.KeyTypes.Count && kc.Items.Any(i => i is SymbolNode or ValueNode))
            EvaluateDynsetConcatWithConstants(kc, set);
        else EvaluateLhs(d.Key);
        if (set is not null) CheckSetKey(set, d.Key, d.SetSpan);
        if (d.Data is not null)
        {
            if (set is null || !set.IsMap) throw new NftEvaluationException(d.Data.Span, "set is not a map");
            if (d.Data is ConcatNode dc && set.DataItemTypes is { } dts && set.DataItemLengthsBits is { } dls && dc.Items.Count == dts.Count)
            {
                // `add @m { k : 10.0.0.1 . 80 }`: each constant item takes its type from the map's data (nft loads
                // each with an immediate into the concatenation's registers).
                int len = 0;
                for (int i = 0; i < dc.Items.Count; i++)
                {
                    if (IsConstant(dc.Items[i])) dc.Items[i] = EvaluateConstantOfType(dc.Items[i], dts[i], dls[i], dts[i].ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : dts[i].ByteOrder);
                    else EvaluateLhs(dc.Items[i]);
                    len += Round32(dc.Items[i].LengthBits);
                }
                dc.LengthBits = len;
                dc.Type = T.Invalid;
                dc.ByteOrder = ByteOrder.Invalid;
                foreach (var st in d.Statements)
                    if (st is ActionStatement a) EvaluateAction(a);
                return;
            }
            var template = new ValueNode { Value = 0, Type = set.DataType!, LengthBits = set.DataLengthBits, ByteOrder = set.DataByteOrder };
            Node v = d.Data;
            EvaluateValueInto(ref v, template);
            d.Data = v;
        }
        foreach (var st in d.Statements)
            if (st is ActionStatement a) EvaluateAction(a);
    }

    /// <summary>`add @s { ip saddr . 22 }`: constant items of a dynamic key take the set's type for their position
    /// (nft loads them with an immediate).</summary>
    private void EvaluateDynsetConcatWithConstants(ConcatNode key, SetDescriptor set)
    {
        int len = 0;
        for (int i = 0; i < key.Items.Count; i++)
        {
            if (key.Items[i] is SymbolNode or ValueNode)
            {
                var type = set.KeyTypes[i];
                key.Items[i] = EvaluateConstantOfType(key.Items[i], type, set.KeyLengthsBits[i], set.KeyByteOrders?[i] ?? type.ByteOrder);
            }
            else EvaluateLhs(key.Items[i]);
            len += Round32(key.Items[i].LengthBits);
        }
        key.LengthBits = len;
        key.Type = T.Invalid;
        key.ByteOrder = ByteOrder.Invalid;
    }

    private void EvaluateObjRef(ObjectRefStatement o)
    {
        if (o.Name is SymbolNode { Text.Length: 0 }) throw new NftEvaluationException(o.Name.Span, "Empty string is not allowed");
        if (o.Name is SymbolNode) return;
        if (o.Name is MapLookupNode map)
        {
            EvaluateLhs(map.Key);
            RequireCtAddressFamily(map.Key);
            if (map.Map is SetRefNode r && _ctx.FindSet(r.Name) is null) throw new NftEvaluationException(r.Span, "No such file or directory");
            if (map.Map is SetNode anon) EvaluateObjectMapLiteral(anon, map.Key);
            return;
        }
    }

    /// <summary>`counter name ip saddr map { 10.0.0.1 : "c1", * : "c2" }`: keys typed by the map's key, data are
    /// object names, sent as they are (the kernel checks that each object exists).</summary>
    private void EvaluateObjectMapLiteral(SetNode anon, Node key)
    {
        foreach (var e in anon.Elements)
        {
            if (e is not MappingNode mp) throw new NftEvaluationException(e.Span, "expected mapping, got value");
            if (mp.Value is not SymbolNode { Text.Length: > 0 })
                throw new NftEvaluationException(mp.Value.Span, "object name expected");
            if (mp.Key is CatchAllNode) continue;
            var one = new SetNode { Span = mp.Key.Span };
            one.Elements.Add(mp.Key);
            EvaluateSetLiteral(one, key, null);
            mp.Key = one.Elements[0];
        }
        anon.Type = key.Type;
        anon.LengthBits = key.LengthBits;
    }

    private void EvaluateAction(ActionStatement a)
    {
        switch (a.Kind)
        {
            case "snat" or "dnat":
                EvaluateNat(a);
                break;
            case "masquerade" or "redirect":
                if (_ctx.Family is not (NftFamily.Ip or NftFamily.Ip6 or NftFamily.Inet))
                    throw new NftEvaluationException(a.Span, $"{a.Kind} is only supported in ip, ip6 and inet tables");
                EvaluatePort(a);
                break;
            case "tproxy":
                EvaluateTproxy(a);
                break;
            case "objref":
                break;
            case "reject":
                EvaluateReject(a);
                break;
            case "dup" or "fwd":
            {
                // In netdev tables `dup to` names the interface to send the copy out of (nft's stmt_evaluate_dup).
                bool dupToDevice = a.Kind == "dup" && _ctx.Family == NftFamily.Netdev;
                if (dupToDevice && a.Has("device")) throw new NftEvaluationException(a.Span, "cannot specify device");
                if (a.Options.TryGetValue("to", out var to) && to is Node tn)
                {
                    string fam = a.Get<string>("family") ?? (_ctx.Family == NftFamily.Ip6 ? "ip6" : "ip");
                    var type = dupToDevice || a.Kind == "fwd" && !a.Has("family") && !a.Has("device") ? T.IfIndex : fam == "ip6" ? T.Ipv6Addr : T.Ipv4Addr;
                    int len = type == T.Ipv6Addr ? 128 : 32;
                    var target = new ValueNode { Value = 0, Type = type, LengthBits = len, ByteOrder = type == T.IfIndex ? ByteOrder.Host : ByteOrder.BigEndian };
                    EvaluateValueInto(ref tn, target);
                    a.Options["to"] = tn;
                }
                if (a.Options.TryGetValue("device", out var dev) && dev is Node dn)
                {
                    var target = new ValueNode { Value = 0, Type = T.IfIndex, LengthBits = 32, ByteOrder = ByteOrder.Host };
                    EvaluateValueInto(ref dn, target);
                    a.Options["device"] = dn;
                }
                break;
            }
            case "queue":
                if (a.Options.TryGetValue("num", out var num) && num is Node qn)
                {
                    var target = new ValueNode { Value = 0, Type = T.Integer, LengthBits = 16, ByteOrder = ByteOrder.Host };
                    EvaluateValueInto(ref qn, target);
                    a.Options["num"] = qn;
                }
                break;
        }
    }

    /// <summary>nft 1.0.6's stmt_evaluate_reject: a plain `reject` after a network protocol match becomes that
    /// protocol's port-unreachable; `with tcp reset` and `with icmp(v6)` bring their protocol dependency, put at the
    /// start of the rule (so that nothing before the reject acts on packets it will not reject).</summary>
    private void EvaluateReject(ActionStatement a)
    {
        var w = a.Get<Token>("with");
        if (w is not null && (_ctx.Family == NftFamily.Ip && w.Text == "icmpv6" || _ctx.Family == NftFamily.Ip6 && w.Text == "icmp"))
            throw new NftEvaluationException(RejectCode(a, w), $"conflicting protocols specified: {(_ctx.Family == NftFamily.Ip ? "ip" : "ip6")} vs. {(w.Text == "icmp" ? "ip" : "ip6")}");
        if (w?.Text == "tcp")
        {
            // After `meta l4proto { tcp, udp }` nft's context holds the set's last protocol.
            var transport = _proto[ProtoBase.Transport] ?? _transportCandidates?.LastOrDefault();
            if (transport is not null && transport != ProtocolHeaders.Tcp)
                throw new NftEvaluationException(a.Span, "you cannot use tcp reset with this protocol");
            if (transport is null && _ctx.Family != NftFamily.Arp)
                AtRuleStart(() => AddTransportDependency(ProtocolHeaders.Tcp, a.Span));
            return;
        }
        if (_ctx.Family is not (NftFamily.Inet or NftFamily.Netdev or NftFamily.Bridge)) return;
        switch (w?.Text)
        {
            case "icmp": AtRuleStart(() => AddNetworkDependency(ProtocolHeaders.Ip, a.Span)); break;
            case "icmpv6": AtRuleStart(() => AddNetworkDependency(ProtocolHeaders.Ip6, a.Span)); break;
            case null when _proto[ProtoBase.Network] == ProtocolHeaders.Ip: a.Options["rejectfamily"] = "ip"; break;
            case null when _proto[ProtoBase.Network] == ProtocolHeaders.Ip6: a.Options["rejectfamily"] = "ip6"; break;
        }
    }

    /// <summary>Runs a dependency generator and moves what it added to the front of the rule.</summary>
    private void AtRuleStart(Action addDependency)
    {
        int before = _out.Count;
        addDependency();
        var added = _out.GetRange(before, _out.Count - before);
        _out.RemoveRange(before, added.Count);
        _out.InsertRange(0, added);
    }

    private static readonly ValueNode Port = new() { Value = 0, Type = T.InetService, LengthBits = 16, ByteOrder = ByteOrder.BigEndian };

    private void EvaluatePort(ActionStatement a)
    {
        if (a.Options.TryGetValue("port", out var p) && p is Node pn)
        {
            if (_proto[ProtoBase.Transport] is null && !L4ProtocolMatched())
                throw new NftEvaluationException(pn.Span, "transport protocol mapping is only valid after transport protocol match");
            EvaluateValueInto(ref pn, Port);
            a.Options["port"] = pn;
        }
    }

    /// <summary>A match on the layer 4 protocol that selects no one header (`meta l4proto { 6, 17 }`) still allows
    /// a port mapping, as in nft.</summary>
    private bool L4ProtocolMatched() =>
        _out.Any(s => s is MatchStatement { Left: MetaNode { Key.Token: "l4proto" } or PayloadNode { Field.Name: "protocol" or "nexthdr" } });

    /// <summary>The reject code after `with icmp [type]` (where nft points), or the `with` argument when there is none.</summary>
    private static SourceSpan RejectCode(ActionStatement a, Token with)
    {
        string text = a.Span.Source.Text;
        int i = with.Span.End, end = Math.Min(a.Span.End, text.Length);
        while (i < end && char.IsWhiteSpace(text[i])) i++;
        if (i + 4 <= end && text.Substring(i, 4) == "type" && (i + 4 == end || char.IsWhiteSpace(text[i + 4])))
        {
            i += 4;
            while (i < end && char.IsWhiteSpace(text[i])) i++;
        }
        int j = i;
        while (j < end && !char.IsWhiteSpace(text[j])) j++;
        return j > i ? new SourceSpan(a.Span.Source, i, j - i) : with.Span;
    }

    /// <summary>The statement's first word (`dnat`), where nft puts the caret for errors about the whole statement.</summary>
    private static SourceSpan Keyword(ActionStatement a)
    {
        string text = a.Span.Text;
        int n = 0;
        while (n < text.Length && !char.IsWhiteSpace(text[n])) n++;
        return new SourceSpan(a.Span.Source, a.Span.Offset, Math.Max(n, 1));
    }

    private void EvaluateNat(ActionStatement a)
    {
        if (_ctx.Family is not (NftFamily.Ip or NftFamily.Ip6 or NftFamily.Inet))
            throw new NftEvaluationException(Keyword(a), "NAT is only supported for IPv4/IPv6");
        string? fam = a.Get<string>("family");
        if (fam is null)
        {
            if (_ctx.Family == NftFamily.Ip) fam = "ip";
            else if (_ctx.Family == NftFamily.Ip6) fam = "ip6";
            else if (_proto[ProtoBase.Network] == ProtocolHeaders.Ip) fam = "ip";
            else if (_proto[ProtoBase.Network] == ProtocolHeaders.Ip6) fam = "ip6";
        }
        if (a.Options.TryGetValue("addr", out var addr) && addr is Node an)
        {
            // inet without an explicit family or a network protocol match: nft refuses to guess.
            if (fam is null)
                throw new NftEvaluationException(Keyword(a), "specify `" + a.Kind + " ip` or `" + a.Kind + " ip6` in an inet table: the address alone does not say which family");
            var type = fam == "ip6" ? T.Ipv6Addr : T.Ipv4Addr;
            var target = new ValueNode { Value = 0, Type = type, LengthBits = type == T.Ipv6Addr ? 128 : 32, ByteOrder = ByteOrder.BigEndian };
            if (an is MapLookupNode map && map.Map is SetNode ms && ms.Elements.Count > 0 && ms.Elements.All(e => e is MappingNode { Value: ConcatNode }))
            {
                // `map { k : addr . port }` — data is an address and port concatenation.
                var c = new ConcatNode { Type = T.Invalid, LengthBits = Round32(target.LengthBits) + 32 };
                c.Items.Add(target);
                c.Items.Add(Port);
                target = null!;
                Node mn = map;
                EvaluateValueInto(ref mn, c);
                if (_proto[ProtoBase.Transport] is null && !L4ProtocolMatched())
                    throw new NftEvaluationException(a.Span, "transport protocol mapping is only valid after transport protocol match");
                a.Options["addrport"] = true;
                // `{ k : 10.0.0.0/24 . 8888-8999 }`: the lookup yields first address . first port . last address . last port.
                if (MapLiterals.HasIntervalData(ms)) a.Options["addrinterval"] = true;
            }
            else
            {
                EvaluateValueInto(ref an, target);
                a.Options["addr"] = an;
                // `map { k : 1.2.3.4-1.2.3.9 }` / `{ k : 10.0.0.0/24 }`: the lookup yields a first and a last address.
                if (an is MapLookupNode { Map: SetNode lit } && MapLiterals.HasIntervalData(lit)) a.Options["addrinterval"] = true;
                // A named map says by its data type what the lookup yields: `: ipv4_addr . inet_service` an address
                // and a port, `: interval …` first and last.
                if (an is MapLookupNode { Map: SetRefNode named } && _ctx.FindSet(named.Name) is { } nm)
                {
                    if (nm.DataItemTypes is { Count: 2 } items && items[1] == T.InetService)
                    {
                        if (_proto[ProtoBase.Transport] is null && !L4ProtocolMatched())
                            throw new NftEvaluationException(a.Span, "transport protocol mapping is only valid after transport protocol match");
                        a.Options["addrport"] = true;
                    }
                    if (nm.IsDataInterval) a.Options["addrinterval"] = true;
                }
            }
        }
        // No address and no network protocol in an inet table: the nat expression's family is NFPROTO_INET, as in nft.
        a.Options["family"] = fam ?? "inet";
        EvaluatePort(a);
    }

    private void EvaluateTproxy(ActionStatement a)
    {
        string? fam = a.Get<string>("family");
        if (_ctx.Family == NftFamily.Ip) fam ??= "ip";
        else if (_ctx.Family == NftFamily.Ip6) fam ??= "ip6";
        else if (_ctx.Family != NftFamily.Inet) throw new NftEvaluationException(a.Span, "tproxy is only supported for IPv4/IPv6/INET");
        if (fam is null && _proto[ProtoBase.Network] == ProtocolHeaders.Ip) fam = "ip";
        if (fam is null && _proto[ProtoBase.Network] == ProtocolHeaders.Ip6) fam = "ip6";
        if (fam is not null && _proto[ProtoBase.Network] is { } net && net != (fam == "ip6" ? ProtocolHeaders.Ip6 : ProtocolHeaders.Ip))
            throw new NftEvaluationException(a.Span, $"conflicting protocols specified: {net.Name} vs. {fam}");
        if (a.Options.TryGetValue("addr", out var addr) && addr is Node an)
        {
            if (fam is null) throw new NftEvaluationException(a.Span, "Family is required in inet tables when an address is given");
            var type = fam == "ip6" ? T.Ipv6Addr : T.Ipv4Addr;
            var target = new ValueNode { Value = 0, Type = type, LengthBits = type == T.Ipv6Addr ? 128 : 32, ByteOrder = ByteOrder.BigEndian };
            EvaluateValueInto(ref an, target);
            a.Options["addr"] = an;
        }
        a.Options["family"] = fam;
        if (_proto[ProtoBase.Transport] is null)
            throw new NftEvaluationException(a.Span, "Transparent proxy support requires transport protocol match");
        if (a.Options.TryGetValue("port", out var p) && p is Node pn)
        {
            EvaluateValueInto(ref pn, Port);
            a.Options["port"] = pn;
        }
    }
}
