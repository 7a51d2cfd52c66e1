using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Interim;

/// <summary>Stop-gap until branch model's RulesetReader lands: reads names, handles, hooks, counters and
/// verdicts — enough for the cmdlets' filters and pipeline — but no rule text. Delete once RulesetReader is wired.</summary>
internal static class InterimRulesetReader
{
    private const int MaxAttempts = 20;

    public static NftRuleset Read(NfTablesConnection connection, RulesetQuery query, CancellationToken cancellation)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                uint generation = connection.GetGeneration(cancellation);
                var ruleset = ReadOnce(connection, query, cancellation);
                if (connection.GetGeneration(cancellation) != generation) throw new DumpInterruptedException();
                ruleset.Generation = generation;
                ruleset.NetworkNamespace = connection.NetworkNamespace;
                return ruleset;
            }
            catch (DumpInterruptedException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private static NftRuleset ReadOnce(NfTablesConnection c, RulesetQuery q, CancellationToken ct)
    {
        var rs = new NftRuleset();
        var family = q.Family ?? NftFamily.Unspecified;
        string? ns = c.NetworkNamespace;
        bool Wanted(NftFamily f, string table) => q.Table is null || table == q.Table;

        c.Dump(NfTablesMessageType.GetTable, family, null, (in NetlinkMessage m) =>
        {
            var t = new NftTable { Family = (NftFamily)m.Family, NetworkNamespace = ns };
            var r = m.GetAttributes();
            while (r.TryRead(out var a))
                switch (a.Type)
                {
                    case 1: t.Name = a.GetString(); break;
                    case 2: t.Flags = a.GetBe32(); break;
                    case 3: t.Use = a.GetBe32(); break;
                    case 4: t.Handle = a.GetBe64(); break;
                    case 6: t.UserData = a.GetBytes(); break;
                    case 7: t.Owner = a.GetBe32(); break;
                }
            if (Wanted(t.Family, t.Name)) rs.Tables.Add(t);
        }, "list tables", ct);

        if ((q.Parts & RulesetParts.Chains) != 0)
            c.Dump(NfTablesMessageType.GetChain, family, null, (in NetlinkMessage m) =>
            {
                var ch = DecodeChain(m);
                ch.NetworkNamespace = ns;
                if (Wanted(ch.Family, ch.Table)) rs.Chains.Add(ch);
            }, "list chains", ct);

        if ((q.Parts & RulesetParts.Rules) != 0)
        {
            var positions = new Dictionary<(NftFamily, string, string), int>();
            c.Dump(NfTablesMessageType.GetRule, family, null, (in NetlinkMessage m) =>
            {
                var rule = DecodeRule(m);
                rule.NetworkNamespace = ns;
                if (!Wanted(rule.Family, rule.Table)) return;
                var key = (rule.Family, rule.Table, rule.Chain);
                positions.TryGetValue(key, out int pos);
                rule.Position = pos;
                positions[key] = pos + 1;
                rs.Rules.Add(rule);
            }, "list rules", ct);
            foreach (var ch in rs.Chains)
                ch.RuleCount = positions.GetValueOrDefault((ch.Family, ch.Table, ch.Name));
        }

        if ((q.Parts & (RulesetParts.Sets | RulesetParts.SetElements)) != 0)
        {
            c.Dump(NfTablesMessageType.GetSet, family, null, (in NetlinkMessage m) =>
            {
                var s = DecodeSet(m);
                s.NetworkNamespace = ns;
                if (Wanted(s.Family, s.Table)) rs.Sets.Add(s);
            }, "list sets", ct);
            if ((q.Parts & RulesetParts.SetElements) != 0)
                foreach (var s in rs.Sets) ReadElements(c, s, ct);
        }

        if ((q.Parts & RulesetParts.Objects) != 0)
            c.Dump(NfTablesMessageType.GetObject, family, null, (in NetlinkMessage m) =>
            {
                var o = new NftNamedObject { Family = (NftFamily)m.Family, NetworkNamespace = ns };
                var r = m.GetAttributes();
                while (r.TryRead(out var a))
                    switch (a.Type)
                    {
                        case 1: o.Table = a.GetString(); break;
                        case 2: o.Name = a.GetString(); break;
                        case 3: o.Type = (NftObjectType)a.GetBe32(); break;
                        case 4: o.Data = a.GetBytes(); break;
                        case 5: o.Use = a.GetBe32(); break;
                        case 6: o.Handle = a.GetBe64(); break;
                        case 8: o.UserData = a.GetBytes(); break;
                    }
                if (o.Type == NftObjectType.Counter)
                {
                    var d = new NetlinkAttributeReader(o.Data);
                    while (d.TryRead(out var a))
                        if (a.Type == 1) o.Bytes = a.GetBe64(); else if (a.Type == 2) o.Packets = a.GetBe64();
                }
                if (Wanted(o.Family, o.Table)) rs.Objects.Add(o);
            }, "list objects", ct);

        if ((q.Parts & RulesetParts.Flowtables) != 0)
            c.Dump(NfTablesMessageType.GetFlowtable, family, null, (in NetlinkMessage m) =>
            {
                var f = new NftFlowtable { Family = (NftFamily)m.Family, NetworkNamespace = ns };
                var r = m.GetAttributes();
                while (r.TryRead(out var a))
                    switch (a.Type)
                    {
                        case 1: f.Table = a.GetString(); break;
                        case 2: f.Name = a.GetString(); break;
                        case 3:
                            var h = a.GetNested();
                            while (h.TryRead(out var ha))
                                if (ha.Type == 1) f.HookNumber = ha.GetBe32();
                                else if (ha.Type == 2) { f.Priority = ha.GetBe32Signed(); f.PriorityText = f.Priority.ToString(); }
                                else if (ha.Type == 3) f.Devices = ReadDevices(ha.GetNested());
                            break;
                        case 4: f.Use = a.GetBe32(); break;
                        case 5: f.Handle = a.GetBe64(); break;
                        case 7: f.Flags = a.GetBe32(); break;
                    }
                if (Wanted(f.Family, f.Table)) rs.Flowtables.Add(f);
            }, "list flowtables", ct);

        return rs;
    }

    private static string[] ReadDevices(NetlinkAttributeReader r)
    {
        var list = new List<string>();
        while (r.TryRead(out var a)) list.Add(a.GetString());
        return list.ToArray();
    }

    private static NftChain DecodeChain(in NetlinkMessage m)
    {
        var ch = new NftChain { Family = (NftFamily)m.Family };
        var r = m.GetAttributes();
        while (r.TryRead(out var a))
            switch (a.Type)
            {
                case 1: ch.Table = a.GetString(); break;
                case 2: ch.Handle = a.GetBe64(); break;
                case 3: ch.Name = a.GetString(); break;
                case 4:
                    var h = a.GetNested();
                    while (h.TryRead(out var ha))
                        switch (ha.Type)
                        {
                            case 1: ch.HookNumber = ha.GetBe32(); break;
                            case 2: ch.Priority = ha.GetBe32Signed(); break;
                            case 3: ch.Devices = new[] { ha.GetString() }; break;
                            case 4: ch.Devices = ReadDevices(ha.GetNested()); break;
                        }
                    break;
                case 5: ch.Policy = a.GetBe32() == 1 ? "accept" : "drop"; break;
                case 6: ch.Use = a.GetBe32(); break;
                case 7: ch.Type = a.GetString(); break;
                case 8:
                    var cnt = a.GetNested();
                    while (cnt.TryRead(out var ca))
                        if (ca.Type == 1) ch.Bytes = ca.GetBe64(); else if (ca.Type == 2) ch.Packets = ca.GetBe64();
                    break;
                case 10: ch.Flags = a.GetBe32(); break;
                case 12: ch.UserData = a.GetBytes(); break;
            }
        if (ch.HookNumber is uint hook)
        {
            ch.Hook = HookName(ch.Family, hook);
            ch.PriorityText = ch.Priority?.ToString();
        }
        return ch;
    }

    private static string HookName(NftFamily family, uint hook) => family switch
    {
        NftFamily.Netdev => hook == 0 ? "ingress" : "egress",
        NftFamily.Arp => hook switch { 0 => "input", 1 => "output", _ => hook.ToString() },
        NftFamily.Inet when hook == 5 => "ingress",
        _ => hook switch { 0 => "prerouting", 1 => "input", 2 => "forward", 3 => "output", 4 => "postrouting", _ => hook.ToString() },
    };

    private static NftRule DecodeRule(in NetlinkMessage m)
    {
        var rule = new NftRule { Family = (NftFamily)m.Family };
        var r = m.GetAttributes();
        while (r.TryRead(out var a))
            switch (a.Type)
            {
                case 1: rule.Table = a.GetString(); break;
                case 2: rule.Chain = a.GetString(); break;
                case 3: rule.Handle = a.GetBe64(); break;
                case 4: DecodeExpressions(a.GetNested(), rule); break;
                case 7: rule.UserData = a.GetBytes(); break;
                case 8: rule.PreviousHandle = a.GetBe64(); break;
            }
        return rule;
    }

    private static void DecodeExpressions(NetlinkAttributeReader list, NftRule rule)
    {
        var names = new List<string>();
        while (list.TryRead(out var elem))
        {
            string name = "";
            var e = elem.GetNested();
            while (e.TryRead(out var ea))
            {
                if (ea.Type == 1) { name = ea.GetString(); names.Add(name); }
                else if (ea.Type == 2 && name == "counter")
                {
                    var d = ea.GetNested();
                    while (d.TryRead(out var ca))
                        if (ca.Type == 1) rule.Bytes = ca.GetBe64(); else if (ca.Type == 2) rule.Counter = ca.GetBe64();
                }
                else if (ea.Type == 2 && name == "immediate")
                {
                    var d = ea.GetNested();
                    while (d.TryRead(out var ia))
                        if (ia.Type == 2) rule.Verdict = DecodeVerdict(ia.GetNested())?.ToString() ?? rule.Verdict;
                }
            }
        }
        // Text waits for the delinearizer; the raw expression names are at least honest.
        rule.HasUndecodedExpressions = true;
        rule.Text = string.Join(" ", names.Select(n => $"[{n}]"));
    }

    private static NftVerdict? DecodeVerdict(NetlinkAttributeReader data)
    {
        while (data.TryRead(out var a))
        {
            if (a.Type != 2) continue;
            int code = 0;
            string? chain = null;
            var v = a.GetNested();
            while (v.TryRead(out var va))
                if (va.Type == 1) code = va.GetBe32Signed(); else if (va.Type == 2) chain = va.GetString();
            return new NftVerdict((VerdictCode)code, chain);
        }
        return null;
    }

    private static NftSet DecodeSet(in NetlinkMessage m)
    {
        var s = new NftSet { Family = (NftFamily)m.Family };
        var r = m.GetAttributes();
        while (r.TryRead(out var a))
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
                case 11: s.Timeout = TimeSpan.FromMilliseconds(a.GetBe64()); break;
                case 12: s.GcInterval = TimeSpan.FromMilliseconds(a.GetBe32()); break;
                case 13: s.UserData = a.GetBytes(); break;
                case 15: s.ObjectType = a.GetBe32(); break;
                case 16: s.Handle = a.GetBe64(); break;
            }
        s.KeyTypeText = $"type {s.KeyType}";
        return s;
    }

    private static void ReadElements(NfTablesConnection c, NftSet set, CancellationToken ct)
    {
        c.Dump(NfTablesMessageType.GetSetElement, set.Family, w =>
        {
            w.WriteString(1, set.Table);
            w.WriteString(2, set.Name);
        }, (in NetlinkMessage m) =>
        {
            var r = m.GetAttributes();
            while (r.TryRead(out var a))
            {
                if (a.Type != 3) continue;
                var list = a.GetNested();
                while (list.TryRead(out var item))
                {
                    var el = new NftSetElement { Family = set.Family, Table = set.Table, Set = set.Name, NetworkNamespace = set.NetworkNamespace };
                    var e = item.GetNested();
                    while (e.TryRead(out var ea))
                        switch (ea.Type)
                        {
                            case 1: el.Key = FirstValue(ea.GetNested()); break;
                            case 2: el.Data = FirstValue(ea.GetNested()); break;
                            case 3: el.Flags = ea.GetBe32(); break;
                            case 4: el.Timeout = TimeSpan.FromMilliseconds(ea.GetBe64()); break;
                            case 5: el.Expires = TimeSpan.FromMilliseconds(ea.GetBe64()); break;
                            case 6: el.UserData = ea.GetBytes(); break;
                            case 8: el.ObjectReference = ea.GetString(); break;
                            case 9: el.KeyEnd = FirstValue(ea.GetNested()); break;
                        }
                    el.Value = el.Key is null ? "*" : "0x" + Convert.ToHexString(el.Key).ToLowerInvariant();
                    set.Elements.Add(el);
                }
            }
        }, $"list elements of set {set.Family.ToKeyword()} {set.Table} {set.Name}", ct);
    }

    private static byte[]? FirstValue(NetlinkAttributeReader data)
    {
        while (data.TryRead(out var a)) if (a.Type == 1) return a.GetBytes();
        return null;
    }
}
