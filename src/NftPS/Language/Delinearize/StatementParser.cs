using NftPS.NfTables;
using System.Globalization;
using System.Text;
using NftPS.Language.DataTypes;
using System.Text.Json.Nodes;
using NftPS.Language.Json;
using NftPS.Language.Printing;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Delinearize;

/// <summary>The statement half of netlink_parse_*: counter, log, limit, nat, dynset... and the non-payload loads.</summary>
internal static class StatementParser
{
    private static readonly string[] LogLevels = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit" };

    public static bool Parse(RuleParser ctx, Expression e)
    {
        var stmts = ctx.Statements;
        switch (e)
        {
            case CounterExpression c:
                stmts.Add(new TextS
                {
                    Kind = "counter",
                    Render = p => p.Stateless ? "counter" : $"counter packets {c.Packets ?? 0} bytes {c.Bytes ?? 0}",
                    Json = j => StatementJson.Counter(c, j.Options.Stateless),
                });
                return true;
            case LastExpression last:
                stmts.Add(new TextS { Kind = "last", Render = p => LastText(last, p.Stateless), Json = j => StatementJson.Last(last, j.Options.Stateless) });
                return true;
            case LogExpression l:
                stmts.Add(new TextS { Kind = "log", Render = _ => LogText(l), Json = _ => StatementJson.Log(l) });
                return true;
            case LimitExpression l:
                stmts.Add(new TextS { Kind = "limit", Render = _ => LimitText(l), Json = _ => StatementJson.Limit(l) });
                return true;
            case QuotaExpression q:
                stmts.Add(new TextS
                {
                    Kind = "quota", Render = p => QuotaText(q, p.Stateless),
                    Json = j => StatementJson.Quota(q.Bytes, q.Consumed ?? 0, q.Flags is { } f && (f & QuotaFlags.Invert) != 0, j.Options.Stateless),
                });
                return true;
            case ConnlimitExpression cl:
                stmts.Add(new TextS
                {
                    Kind = "connlimit",
                    Render = _ => $"ct count {((cl.Flags ?? 0) != 0 ? "over " : "")}{cl.Count}",
                    Json = _ => StatementJson.Connlimit(cl.Count, (cl.Flags ?? 0) != 0),
                });
                return true;
            case NotrackExpression:
                stmts.Add(new TextS { Kind = "notrack", Render = _ => "notrack", Json = _ => ExprJson.Wrap("notrack", null) });
                return true;
            case FlowOffloadExpression fo:
                stmts.Add(new TextS
                {
                    Kind = "flow", Render = _ => "flow add @" + fo.FlowtableName,
                    Json = _ => ExprJson.Wrap("flow", new JsonObject { ["op"] = "add", ["flowtable"] = "@" + fo.FlowtableName }),
                });
                return true;
            case RejectExpression r:
                stmts.Add(new RejectS(r));
                return true;
            case NatExpression n:
                return ParseNat(ctx, n);
            case MasqExpression m:
                return ParsePortRedirect(ctx, "masquerade", m.Flags, m.ProtoMinRegister, m.ProtoMaxRegister);
            case RedirExpression r:
                return ParsePortRedirect(ctx, "redirect", r.Flags, r.ProtoMinRegister, r.ProtoMaxRegister);
            case TproxyExpression tp:
                return ParseTproxy(ctx, tp);
            case DupExpression d:
            {
                var addr = d.AddressRegister is { } ar ? ctx.Reg(ar) : null;
                var dev = d.DeviceRegister is { } dr ? ctx.Reg(dr) : null;
                // netlink_parse_dup: a device without an address is the `to` operand (netdev: `dup to "lo"`)
                var to = addr ?? dev;
                var device = addr is not null ? dev : null;
                var s = new TextS
                {
                    Kind = "dup",
                    Render = p => "dup" + (to is not null ? " to " + p.Print(to) + (device is not null ? " device " + p.Print(device) : "") : ""),
                    Json = j =>
                    {
                        if (to is null) return ExprJson.Wrap("dup", null);
                        var o = new JsonObject { ["addr"] = j.Of(to) };
                        if (device is not null) o["dev"] = j.Of(device);
                        return ExprJson.Wrap("dup", o);
                    },
                };
                if (addr is not null && ctx.Family is NftFamily.Ip or NftFamily.Ip6)
                    s.Typed.Add((addr, ctx.Family == NftFamily.Ip6 ? T.Ipv6Addr : T.Ipv4Addr, ByteOrder.BigEndian));
                if (dev is not null) s.Typed.Add((dev, T.IfIndex, ByteOrder.Host));
                stmts.Add(s);
                return true;
            }
            case FwdExpression f:
            {
                var dev = f.DeviceRegister is { } dr ? ctx.Reg(dr) : null;
                var addr = f.AddressRegister is { } ar ? ctx.Reg(ar) : null;
                if (dev is null) return false;
                string fam = f.Family == 10 ? "ip6" : "ip";
                var s = new TextS
                {
                    Kind = "fwd", Terminal = true,
                    Render = p => addr is not null ? $"fwd {fam} to {p.Print(addr)} device {p.Print(dev)}" : "fwd to " + p.Print(dev),
                    Json = j =>
                    {
                        var o = new JsonObject { ["dev"] = j.Of(dev) };
                        if (addr is not null)
                        {
                            o["family"] = fam;
                            o["addr"] = j.Of(addr);
                        }
                        return ExprJson.Wrap("fwd", o);
                    },
                };
                s.Typed.Add((dev, T.IfIndex, ByteOrder.Host));
                if (addr is not null) s.Typed.Add((addr, f.Family == 10 ? T.Ipv6Addr : T.Ipv4Addr, ByteOrder.BigEndian));
                stmts.Add(s);
                return true;
            }
            case QueueExpression q:
                stmts.Add(new TextS { Kind = "queue", Terminal = true, Verdict = "queue", Render = _ => QueueText(q), Json = _ => StatementJson.Queue(q) });
                return true;
            case ObjrefExpression o:
                return ParseObjref(ctx, o);
            case DynsetExpression d:
                return ParseDynset(ctx, d);
            case SynproxyExpression sp:
                stmts.Add(new TextS
                {
                    Kind = "synproxy", Render = _ => SynproxyText(sp),
                    Json = _ => StatementJson.Synproxy((uint)(sp.Flags ?? 0), sp.Mss, sp.WindowScale),
                });
                return true;
            case ExthdrExpression x:
                return ParseExthdr(ctx, x);
            case RtExpression rt:
            {
                var t = OtherKeys.Rt.ElementAtOrDefault((int)rt.Key);
                if (t is null) return false;
                string text = rt.Key switch
                {
                    RtKey.NextHop4 => "rt ip nexthop",
                    RtKey.NextHop6 => "rt ip6 nexthop",
                    _ => "rt " + t.Token,
                };
                var rtJson = new JsonObject { ["key"] = t.Token };
                if (rt.Key == RtKey.NextHop4) rtJson["family"] = "ip";
                else if (rt.Key == RtKey.NextHop6) rtJson["family"] = "ip6";
                ctx.SetReg(rt.DestinationRegister, new KeywordX
                {
                    Text = text, Type = t.Type, Order = t.ByteOrder, LenBits = t.LengthBits,
                    Json = (_, _) => ExprJson.Wrap("rt", rtJson.DeepClone()),
                });
                return true;
            }
            case SocketExpression so:
            {
                var t = OtherKeys.Socket.ElementAtOrDefault((int)so.Key);
                if (t is null) return false;
                string text = "socket " + t.Token + (so.Key == SocketKey.CgroupV2 && so.Level is { } lv ? " level " + lv : "");
                var soJson = new JsonObject { ["key"] = t.Token };
                if (so.Key == SocketKey.CgroupV2 && so.Level is { } level) soJson["level"] = level;
                ctx.SetReg(so.DestinationRegister, new KeywordX
                {
                    Text = text, Type = t.Type, Order = t.ByteOrder, LenBits = Math.Max(t.LengthBits, 8),
                    Json = (_, _) => ExprJson.Wrap("socket", soJson.DeepClone()),
                });
                return true;
            }
            case OsfExpression os:
            {
                string ttl = os.Ttl switch { 1 => "ttl loose ", 2 => "ttl skip ", _ => "" };
                string what = os.Flags is { } fl && (fl & OsfFlags.Version) != 0 ? "version" : "name";
                var osJson = new JsonObject { ["key"] = what };
                if (os.Ttl is 1 or 2) osJson["ttl"] = os.Ttl == 1 ? "loose" : "skip";
                ctx.SetReg(os.DestinationRegister, new KeywordX
                {
                    Text = "osf " + ttl + what, Type = T.String, Order = ByteOrder.Host, LenBits = 16 * 8,
                    Json = (_, _) => ExprJson.Wrap("osf", osJson.DeepClone()),
                });
                return true;
            }
            case FibExpression fib:
            {
                var res = OtherKeys.FibResult.ElementAtOrDefault((int)fib.Result);
                var sb = new StringBuilder("fib ");
                uint flags = (uint)fib.Flags & ~OtherKeys.FibFlagPresent;
                var names = new List<string>();
                foreach (var (flag, name) in OtherKeys.FibFlags)
                    if ((flags & flag) != 0) { names.Add(name); flags &= ~flag; }
                sb.Append(string.Join(" . ", names));
                if (flags != 0) sb.Append("0x").Append(flags.ToString("x", CultureInfo.InvariantCulture));
                sb.Append(' ').Append(res?.Token ?? "unknown");
                bool present = ((uint)fib.Flags & OtherKeys.FibFlagPresent) != 0;
                var fibJson = new JsonObject { ["result"] = res?.Token ?? "unknown" };
                if (names.Count > 0 || flags != 0)
                {
                    var fl = new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray());
                    if (flags != 0) fl.Add(flags);
                    fibJson["flags"] = fl;
                }
                ctx.SetReg(fib.DestinationRegister, new KeywordX
                {
                    Text = sb.ToString(), Type = present ? T.Boolean : res?.Type ?? T.Integer,
                    Order = res?.ByteOrder ?? ByteOrder.Host, LenBits = res?.LengthBits ?? 32,
                    Json = (_, _) => ExprJson.Wrap("fib", fibJson.DeepClone()),
                });
                return true;
            }
            case NumgenExpression ng:
            {
                string text = $"numgen {(ng.Type == NumgenType.Random ? "random" : "inc")} mod {ng.Modulus}";
                if (ng.Offset is { } off && off != 0) text += " offset " + off;
                var ngJson = new JsonObject
                {
                    ["mode"] = ng.Type == NumgenType.Random ? "random" : "inc", ["mod"] = ng.Modulus, ["offset"] = ng.Offset ?? 0,
                };
                ctx.SetReg(ng.DestinationRegister, new KeywordX
                {
                    Text = text, Type = T.Integer, Order = ByteOrder.Host, LenBits = 32,
                    Json = (_, _) => ExprJson.Wrap("numgen", ngJson.DeepClone()),
                });
                return true;
            }
            case HashExpression h:
            {
                var k = new KeywordX { Type = T.Integer, Order = ByteOrder.Host, LenBits = 32 };
                if (h.EffectiveType == HashType.Symmetric)
                    k.Text = "symhash";
                else
                {
                    k.Text = "jhash";
                    k.Inner = h.SourceRegister is { } sr ? ctx.RegSpan(sr, (int)(h.Length ?? 4)) : null;
                }
                string suffix = $" mod {h.Modulus}";
                if (h.EffectiveType == HashType.Jenkins && h.Seed is { } seed) suffix += $" seed 0x{seed:x}";
                if (h.Offset is { } off && off != 0) suffix += " offset " + off;
                k.Suffix = suffix;
                k.Json = (j, self) =>
                {
                    var o = new JsonObject { ["mod"] = h.Modulus };
                    if (h.EffectiveType == HashType.Jenkins && h.Seed is { } sd) o["seed"] = sd;
                    if (h.Offset is { } of && of != 0) o["offset"] = of;
                    if (self.Inner is not null) o["expr"] = j.Of(self.Inner);
                    return ExprJson.Wrap(self.Text, o);
                };
                ctx.SetReg(h.DestinationRegister, k);
                return true;
            }
            case XfrmExpression xf:
            {
                var t = OtherKeys.Xfrm.ElementAtOrDefault((int)xf.Key);
                if (t is null) return false;
                string dir = xf.Direction == XfrmDirection.In ? "in" : "out";
                string text = "ipsec " + dir + (xf.SpNum != 0 ? " spnum " + xf.SpNum : "");
                text += xf.Key switch
                {
                    XfrmKey.DaddrIp4 or XfrmKey.SaddrIp4 => " ip " + t.Token,
                    XfrmKey.DaddrIp6 or XfrmKey.SaddrIp6 => " ip6 " + t.Token,
                    _ => " " + t.Token,
                };
                var xfJson = new JsonObject { ["key"] = t.Token };
                if (xf.Key is XfrmKey.DaddrIp4 or XfrmKey.SaddrIp4) xfJson["family"] = "ip";
                else if (xf.Key is XfrmKey.DaddrIp6 or XfrmKey.SaddrIp6) xfJson["family"] = "ip6";
                xfJson["dir"] = dir;
                xfJson["spnum"] = xf.SpNum;
                ctx.SetReg(xf.DestinationRegister, new KeywordX
                {
                    Text = text, Type = t.Type, Order = t.ByteOrder, LenBits = t.LengthBits,
                    Json = (_, _) => ExprJson.Wrap("ipsec", xfJson.DeepClone()),
                });
                return true;
            }
            case UnknownExpression:
                return false;
            default:
                return false;
        }
    }

    /// <summary>nft 1.1's last_stmt_print: `last` when stateless, else `last used never` or `last used 1h2m3s`. A set
    /// time of 0 ms is printed `0ms`, where nft would print nothing after `used` (text it cannot read back).</summary>
    internal static string LastText(LastExpression l, bool stateless)
    {
        if (stateless) return "last";
        if ((l.Set ?? 0) == 0) return "last used never";
        ulong ms = l.Milliseconds ?? 0;
        return "last used " + (ms == 0 ? "0ms" : ValueFormatter.FormatTime(ms));
    }

    private static string LogText(LogExpression l)
    {
        var sb = new StringBuilder("log");
        if (l.Prefix is { } prefix) sb.Append(" prefix \"").Append(prefix).Append('"');
        if (l.Group is { } g) sb.Append(" group ").Append(g);
        if (l.Snaplen is { } sl && sl != 0) sb.Append(" snaplen ").Append(sl);
        if (l.QueueThreshold is { } qt && qt != 0) sb.Append(" queue-threshold ").Append(qt);
        if (l.Group is null && l.Level is { } lv && lv != LogLevel.Warning)
            sb.Append(" level ").Append(LogLevels.ElementAtOrDefault((int)lv) ?? ((int)lv).ToString(CultureInfo.InvariantCulture));
        uint flags = (uint)(l.Flags ?? 0);
        if ((flags & 0x2f) == 0x2f) sb.Append(" flags all");
        else
        {
            if ((flags & 3) != 0)
            {
                sb.Append(" flags tcp");
                var parts = new List<string>();
                if ((flags & 1) != 0) parts.Add("sequence");
                if ((flags & 2) != 0) parts.Add("options");
                sb.Append(' ').Append(string.Join(",", parts));
            }
            if ((flags & 4) != 0) sb.Append(" flags ip options");
            if ((flags & 8) != 0) sb.Append(" flags skuid");
            if ((flags & 0x20) != 0) sb.Append(" flags ether");
        }
        return sb.ToString();
    }

    private static string TimeUnit(ulong unit) => unit switch
    {
        1 => "second", 60 => "minute", 3600 => "hour", 86400 => "day", 604800 => "week", _ => "error",
    };

    /// <summary>get_rate: the largest of bytes/kbytes/mbytes that divides the value exactly.</summary>
    private static (ulong Value, string Unit) DataUnit(ulong bytes)
    {
        string[] units = { "bytes", "kbytes", "mbytes" };
        int i = 0;
        while (i < units.Length - 1 && bytes != 0 && bytes % 1024 == 0) { bytes /= 1024; i++; }
        return (bytes, units[i]);
    }

    private static string LimitText(LimitExpression l)
    {
        bool over = l.Flags is { } f && (f & LimitFlags.Invert) != 0;
        string o = over ? "over " : "";
        uint burst = l.Burst ?? 0;
        if (l.Type == LimitType.Bytes)
        {
            var (rate, unit) = DataUnit(l.Rate);
            string s = $"limit rate {o}{rate} {unit}/{TimeUnit(l.Unit)}";
            if (burst != 0)
            {
                var (b, bu) = DataUnit(burst);
                s += $" burst {b} {bu}";
            }
            return s;
        }
        string text = $"limit rate {o}{l.Rate}/{TimeUnit(l.Unit)}";
        if (burst != 0 && burst != 5) text += $" burst {burst} packets";
        return text;
    }

    private static string QuotaText(QuotaExpression q, bool stateless)
    {
        bool over = q.Flags is { } f && (f & QuotaFlags.Invert) != 0;
        var (v, u) = DataUnit(q.Bytes);
        string s = $"quota {(over ? "over " : "")}{v} {u}";
        if (!stateless && q.Consumed is { } c && c != 0)
        {
            var (cv, cu) = DataUnit(c);
            s += $" used {cv} {cu}";
        }
        return s;
    }

    private static string QueueText(QueueExpression q)
    {
        var sb = new StringBuilder("queue");
        uint flags = (uint)(q.Flags ?? 0);
        if (flags != 0)
        {
            var parts = new List<string>();
            if ((flags & 1) != 0) parts.Add("bypass");
            if ((flags & 2) != 0) parts.Add("fanout");
            sb.Append(" flags ").Append(string.Join(",", parts));
        }
        ushort num = q.Number ?? 0, total = q.Total ?? 1;
        if (total > 1) sb.Append($" to {num}-{num + total - 1}");
        else if (num != 0 || flags != 0) sb.Append(" to ").Append(num);
        return sb.ToString();
    }

    private static string SynproxyText(SynproxyExpression s)
    {
        var sb = new StringBuilder("synproxy");
        uint f = (uint)(s.Flags ?? 0);
        if ((f & 1) != 0) sb.Append(" mss ").Append(s.Mss);
        if ((f & 2) != 0) sb.Append(" wscale ").Append(s.WindowScale);
        if ((f & 8) != 0) sb.Append(" timestamp");
        if ((f & 4) != 0) sb.Append(" sack-perm");
        return sb.ToString();
    }

    internal static string NatFlags(uint flags, bool leadingSpace = true)
    {
        var parts = new List<string>();
        if ((flags & 0x04) != 0) parts.Add("random");
        if ((flags & 0x10) != 0) parts.Add("fully-random");
        if ((flags & 0x08) != 0) parts.Add("persistent");
        if ((flags & 0x40) != 0) parts.Add("netmap");
        if (parts.Count == 0) return "";
        return (leadingSpace ? " " : "") + string.Join(",", parts);
    }

    private static bool ParseNat(RuleParser ctx, NatExpression n)
    {
        // netlink_parse_nat: which registers count depends on the map the address comes from
        bool v6 = n.Family == 10;
        var addrType = v6 ? T.Ipv6Addr : T.Ipv4Addr;
        uint flags = (uint)(n.Flags ?? 0);
        bool prefix = (flags & (uint)NatRangeFlags.Netmap) != 0;
        bool printFamily = ctx.Family == NftFamily.Inet;
        var addrMin = n.AddressMinRegister is { } a1 && a1 != 0 ? ctx.Reg(a1) : null;
        SExpr? addrMax = null, protoMin = null, protoMax = null;
        var (addrMap, protoMap, intervalData) = NatMapKind(addrMin, v6);
        if (intervalData) printFamily = true;
        if (!addrMap)
        {
            if (n.AddressMaxRegister is { } a2 && a2 != 0 && a2 != n.AddressMinRegister) addrMax = ctx.Reg(a2);
            if (protoMap) printFamily = true;
            else
            {
                if (n.ProtoMinRegister is { } p1 && p1 != 0) protoMin = ctx.Reg(p1);
                if (n.ProtoMaxRegister is { } p2 && p2 != 0 && p2 != n.ProtoMinRegister) protoMax = ctx.Reg(p2);
            }
        }
        var s = new TextS
        {
            Kind = "nat", Terminal = true,
            Render = p =>
            {
                var sb = new StringBuilder(n.Type == NatType.Snat ? "snat" : "dnat");
                if (addrMin is not null || protoMin is not null || addrMax is not null || protoMax is not null)
                {
                    if (printFamily && n.Family is 2 or 10) sb.Append(v6 ? " ip6" : " ip");
                    if (prefix) sb.Append(" prefix");
                    sb.Append(" to");
                }
                var addr = addrMin ?? addrMax;
                if (addr is not null)
                {
                    sb.Append(' ');
                    bool bracket = v6 && (protoMin ?? protoMax) is not null;
                    if (addrMin is not null && addrMax is not null)
                    {
                        if (AddressPrefix(addrMin, addrMax) is { } plen) sb.Append(p.Print(addrMin)).Append('/').Append(plen);
                        else if (bracket) sb.Append('[').Append(p.Print(addrMin)).Append("]-[").Append(p.Print(addrMax)).Append(']');
                        else sb.Append(p.Print(addrMin)).Append('-').Append(p.Print(addrMax));
                    }
                    else if (bracket && addr is ValueX) sb.Append('[').Append(p.Print(addr)).Append(']');
                    else sb.Append(p.Print(addr));
                }
                var proto = protoMin ?? protoMax;
                if (proto is not null)
                {
                    if (addr is null) sb.Append(' ');
                    sb.Append(':').Append(p.Print(proto));
                    if (protoMin is not null && protoMax is not null) sb.Append('-').Append(p.Print(protoMax));
                }
                sb.Append(NatFlags(flags & ~(uint)NatRangeFlags.Netmap));
                return sb.ToString();
            },
            Json = j =>
            {
                var o = new JsonObject();
                if (printFamily && n.Family is 2 or 10) o["family"] = v6 ? "ip6" : "ip";
                var addr = addrMin ?? addrMax;
                if (addrMin is not null && addrMax is not null)
                    o["addr"] = AddressPrefix(addrMin, addrMax) is { } plen
                        ? ExprJson.Wrap("prefix", new JsonObject { ["addr"] = j.Of(addrMin), ["len"] = plen })
                        : ExprJson.Wrap("range", new JsonArray(j.Of(addrMin), j.Of(addrMax)));
                else if (addr is not null) o["addr"] = j.Of(addr);
                var proto = protoMin ?? protoMax;
                if (protoMin is not null && protoMax is not null) o["port"] = ExprJson.Wrap("range", new JsonArray(j.Of(protoMin), j.Of(protoMax)));
                else if (proto is not null) o["port"] = j.Of(proto);
                StatementJson.AddList(o, "flags", StatementJson.NatFlags(flags));
                if (prefix) o["type_flags"] = "prefix";
                return ExprJson.Wrap(n.Type == NatType.Snat ? "snat" : "dnat", o.Count == 0 ? null : o);
            },
        };
        if (addrMin is not null) s.Typed.Add((addrMin, addrType, ByteOrder.BigEndian));
        if (addrMax is not null) s.Typed.Add((addrMax, addrType, ByteOrder.BigEndian));
        if (protoMin is not null) s.Typed.Add((protoMin, T.InetService, ByteOrder.BigEndian));
        if (protoMax is not null) s.Typed.Add((protoMax, T.InetService, ByteOrder.BigEndian));
        ctx.Statements.Add(s);
        return true;
    }

    /// <summary>is_nat_addr_map / is_nat_proto_map: a map whose data holds address ranges, or address and port.</summary>
    private static (bool AddrMap, bool ProtoMap, bool IntervalData) NatMapKind(SExpr? addr, bool v6)
    {
        if (addr is not MapX { Set.Set: { } set }) return (false, false, false);
        int len = (int)(set.DataLength ?? 0) * 8;
        bool interval = set.DataInterval == true;
        bool addrMap = interval && (v6 ? len is 256 or 320 : len is 64 or 128);
        bool protoMap = v6 ? len == 160 : len == 64;
        return (addrMap, protoMap, interval);
    }

    /// <summary>range_expr_to_prefix: an address range that is a whole prefix prints as one.</summary>
    internal static int? AddressPrefix(SExpr min, SExpr max)
    {
        if (min is not ValueX a || max is not ValueX b) return null;
        return RangePrefix(a.Value, b.Value, a.LenBits);
    }

    /// <summary>range_expr_is_prefix on two numbers of <paramref name="len"/> bits.</summary>
    internal static int? RangePrefix(System.Numerics.BigInteger left, System.Numerics.BigInteger right, int len)
    {
        var x = left ^ right;
        int n1 = 0;
        while (n1 < len && !((x >> n1) & 1).IsZero) n1++;
        if (!(x >> n1).IsZero) return null;
        int plen = len - n1;
        if (!(left & ((System.Numerics.BigInteger.One << n1) - 1)).IsZero) return null;
        return plen;
    }

    private static bool SameValue(SExpr a, SExpr b) =>
        ReferenceEquals(a, b) || a is ValueX va && b is ValueX vb && va.Value == vb.Value;

    private static bool ParsePortRedirect(RuleParser ctx, string verb, NatRangeFlags? flags, uint? minReg, uint? maxReg)
    {
        var min = minReg is { } r1 ? ctx.Reg(r1) : null;
        var max = maxReg is { } r2 ? ctx.Reg(r2) : null;
        var s = new TextS
        {
            Kind = verb, Terminal = true,
            Render = p =>
            {
                var sb = new StringBuilder(verb);
                if (min is not null)
                {
                    sb.Append(" to :").Append(p.Print(min));
                    if (max is not null && !SameValue(min, max)) sb.Append('-').Append(p.Print(max));
                }
                sb.Append(NatFlags((uint)(flags ?? 0)));
                return sb.ToString();
            },
            Json = j =>
            {
                var o = new JsonObject();
                if (min is not null)
                    o["port"] = max is not null && !SameValue(min, max) ? ExprJson.Wrap("range", new JsonArray(j.Of(min), j.Of(max))) : j.Of(min);
                StatementJson.AddList(o, "flags", StatementJson.NatFlags((uint)(flags ?? 0)));
                return ExprJson.Wrap(verb, o.Count == 0 ? null : o);
            },
        };
        if (min is not null) s.Typed.Add((min, T.InetService, ByteOrder.BigEndian));
        if (max is not null) s.Typed.Add((max, T.InetService, ByteOrder.BigEndian));
        ctx.Statements.Add(s);
        return true;
    }

    private static bool ParseTproxy(RuleParser ctx, TproxyExpression tp)
    {
        var addr = tp.AddressRegister is { } ar ? ctx.Reg(ar) : null;
        var port = tp.PortRegister is { } pr ? ctx.Reg(pr) : null;
        bool v6 = tp.Family == 10;
        var s = new TextS
        {
            Kind = "tproxy", Terminal = true,
            Render = p =>
            {
                var sb = new StringBuilder("tproxy");
                if (ctx.Family == NftFamily.Inet && tp.Family != 0) sb.Append(v6 ? " ip6" : " ip");
                sb.Append(" to");
                if (addr is not null)
                {
                    sb.Append(' ');
                    if (v6 && addr is ValueX) sb.Append('[').Append(p.Print(addr)).Append(']');
                    else sb.Append(p.Print(addr));
                }
                // tproxy_stmt_print shows the port only when it is a constant
                if (port is ValueX) sb.Append(addr is null ? " :" : ":").Append(p.Print(port));
                return sb.ToString();
            },
            Json = j =>
            {
                var o = new JsonObject();
                if (ctx.Family == NftFamily.Inet && tp.Family != 0) o["family"] = v6 ? "ip6" : "ip";
                if (addr is not null) o["addr"] = j.Of(addr);
                if (port is not null) o["port"] = j.Of(port);
                return ExprJson.Wrap("tproxy", o);
            },
        };
        if (addr is not null) s.Typed.Add((addr, v6 ? T.Ipv6Addr : T.Ipv4Addr, ByteOrder.BigEndian));
        if (port is not null) s.Typed.Add((port, T.InetService, ByteOrder.BigEndian));
        ctx.Statements.Add(s);
        return true;
    }

    private static readonly string[] ObjTypes = { "", "counter", "quota", "ct helper", "limit", "ct count", "tunnel", "ct timeout", "secmark", "ct expectation", "synproxy" };

    private static bool ParseObjref(RuleParser ctx, ObjrefExpression o)
    {
        if (o.ObjectName is { } name)
        {
            string kind = ObjTypes.ElementAtOrDefault((int)(o.ObjectType ?? 0)) ?? "unknown";
            string text = kind switch
            {
                "ct helper" or "ct timeout" or "ct expectation" => $"{kind} set \"{name}\"",
                "secmark" => $"meta secmark set \"{name}\"",
                _ => $"{kind} name \"{name}\"",
            };
            ctx.Statements.Add(new TextS { Kind = "objref", Render = _ => text, Json = _ => ExprJson.Wrap(kind, JsonValue.Create(name)) });
            return true;
        }
        if (o.SetName is { } setName && o.SetSourceRegister is { } sreg)
        {
            var set = ctx.MakeSetRef(setName);
            var key = ctx.RegSpan(sreg, (int)(set.Set?.KeyLength ?? 4));
            if (key is null) return false;
            string kind = ObjTypes.ElementAtOrDefault((int)(set.Set?.ObjectType ?? 0)) ?? "unknown";
            var map = new MapX { Key = key, Set = set };
            var s = new TextS
            {
                Kind = "objref",
                Render = p => kind switch
                {
                    "ct helper" or "ct timeout" or "ct expectation" => $"{kind} set {p.Print(map)}",
                    _ => $"{kind} name {p.Print(map)}",
                },
                Json = j => ExprJson.Wrap(kind, j.Of(map)),
            };
            s.Typed.Add((map, null, ByteOrder.Invalid));
            ctx.Statements.Add(s);
            return true;
        }
        return false;
    }

    private static bool ParseDynset(RuleParser ctx, DynsetExpression d)
    {
        var set = ctx.MakeSetRef(d.SetName);
        var rawKey = ctx.RegSpan(d.SourceKeyRegister, (int)(set.Set?.KeyLength ?? 4));
        if (rawKey is null) return false;
        TypeConcatConstants(rawKey, set.Set?.KeyType);
        var key = new ElementKeyX { Key = rawKey, LenBits = rawKey.LenBits };
        var data = d.SourceDataRegister is { } dr ? ctx.RegSpan(dr, (int)(set.Set?.DataLength ?? 4)) : null;
        if (data is ConcatX) TypeConcatConstants(data, set.Set?.DataType);
        var inner = new List<Expression>();
        if (d.ElementExpression is { } ee) inner.Add(ee);
        if (d.ElementExpressions is { } ees) inner.AddRange(ees);
        var sub = new RuleParser(ctx.Family, "", null);
        sub.Parse(inner);
        string op = d.Operation switch { DynsetOperation.Add => "add", DynsetOperation.Update => "update", _ => "delete" };
        TextS? s = null;
        s = new TextS
        {
            Kind = "set",
            Render = p =>
            {
                var sb = new StringBuilder();
                sb.Append(op).Append(" @").Append(d.SetName).Append(" { ").Append(p.Print(key));
                if (d.Timeout is { } t && t != 0) sb.Append(" timeout ").Append(ValueFormatter.FormatTime(t));
                foreach (var st in sub.Statements) sb.Append(' ').Append(p.AsStateless().PrintStatement(st));
                if (data is not null) sb.Append(" : ").Append(p.Print(data));
                sb.Append(" }");
                return sb.ToString();
            },
            Json = j =>
            {
                // nft 1.0.6 has no JSON callback for the map statement and writes its text
                if (data is not null) return JsonValue.Create(j.Printer.PrintStatement(s!));
                JsonNode elem = j.Of(key);
                if (d.Timeout is { } t && t != 0)
                    elem = ExprJson.Wrap("elem", new JsonObject { ["val"] = elem, ["timeout"] = (long)(t / 1000) });
                var o = new JsonObject { ["op"] = op, ["elem"] = elem };
                if (data is not null)
                {
                    o["data"] = j.Of(data);
                    o["map"] = "@" + d.SetName;
                }
                else o["set"] = "@" + d.SetName;
                if (sub.Statements.Count > 0)
                {
                    var stateless = j.WithOptions(j.Options with { Stateless = true });
                    o["stmt"] = new JsonArray(sub.Statements.Select(st => StatementJson.Of(st, stateless)).ToArray());
                }
                return ExprJson.Wrap(data is not null ? "map" : "set", o);
            },
        };
        s.Typed.Add((key, null, ByteOrder.Invalid));
        if (data is ConcatX) s.Typed.Add((data, null, ByteOrder.Invalid));
        else if (data is not null && set.Set?.DataType is { } dt && T.FromId((int)dt) is { } dtype)
            s.Typed.Add((data, dtype, set.Set.DataByteOrder == 1 ? ByteOrder.Host : dtype.ByteOrder));
        ctx.Statements.Add(s);
        return true;
    }

    /// <summary>netlink_parse_concat_key: constants in a concatenation take the type of their component.</summary>
    private static void TypeConcatConstants(SExpr? e, uint? concatType)
    {
        if (e is not ConcatX c || concatType is not { } type) return;
        var ids = T.SplitConcatType(type);
        for (int i = 0; i < c.Items.Count && i < ids.Count; i++)
            if (c.Items[i] is ValueX v && !v.Typed && T.FromId(ids[i]) is { } sub)
                v.SetType(sub, sub.ByteOrder == ByteOrder.Invalid ? ByteOrder.Host : sub.ByteOrder);
    }

    private static bool ParseExthdr(RuleParser ctx, ExthdrExpression x)
    {
        var op = (ExthdrOp)(int)(x.Operation ?? ExthdrOperation.Ipv6);
        bool present = x.Flags is { } f && (f & ExthdrFlags.Present) != 0;
        var ex = new ExthdrX
        {
            Op = op, RawType = x.Type, OffsetBits = (int)x.Offset * 8, Present = present,
            LenBits = (int)x.Length * 8, Order = ByteOrder.BigEndian, Type = T.Integer,
        };
        ExthdrResolver.Resolve(ex);
        if (x.SourceRegister is { } sreg)
        {
            var value = ctx.Reg(sreg);
            if (value is null) return false;
            var s = new TextS
            {
                Kind = "exthdr", Render = p => $"{p.Print(ex)} set {p.Print(value)}",
                Json = j => StatementJson.Mangle(j.Of(ex), j.Of(value)),
            };
            s.Typed.Add((value, ex.Type, ByteOrder.BigEndian));
            ctx.Statements.Add(s);
            return true;
        }
        if (x.DestinationRegister is { } dreg)
        {
            ctx.SetReg(dreg, ex);
            return true;
        }
        // no register: `reset tcp option X` (optstrip_stmt_alloc marks the option as a presence test)
        var option = new ExthdrX
        {
            Op = op, RawType = x.Type, OffsetBits = (int)x.Offset * 8, Present = true,
            LenBits = (int)x.Length * 8, Order = ByteOrder.BigEndian, Type = T.Integer,
        };
        ExthdrResolver.Resolve(option);
        ctx.Statements.Add(new TextS { Kind = "exthdr", Render = p => "reset " + p.Print(option), Json = j => ExprJson.Wrap("reset", j.Of(option)) });
        return true;
    }
}

/// <summary>exthdr_init_raw / tcpopt_init_raw / ipopt_init_raw: find the header and field a raw exthdr loads.</summary>
internal static class ExthdrResolver
{
    public static void Resolve(ExthdrX ex)
    {
        switch (ex.Op)
        {
            case ExthdrOp.TcpOption:
                ex.Desc = ExtensionHeaders.TcpOption(ex.RawType);
                break;
            case ExthdrOp.Ipv4Option:
                ex.Desc = ExtensionHeaders.IpOption(ex.RawType);
                break;
            case ExthdrOp.SctpChunk:
                ex.Desc = ExtensionHeaders.SctpChunk(ex.RawType);
                break;
            default:
                ex.Desc = ExtensionHeaders.Ipv6FromType(ex.RawType);
                break;
        }
        if (ex.Desc is null) { ex.Type = ex.Present ? T.Boolean : T.Integer; return; }
        var field = ex.Desc.FieldAt(ex.OffsetBits, ex.LenBits);
        if (field is null && ex.Op == ExthdrOp.Ipv6 && ex.Desc == ExtensionHeaders.Rt)
        {
            foreach (var alt in new[] { ExtensionHeaders.Srh, ExtensionHeaders.Rt0, ExtensionHeaders.Rt2 })
            {
                field = alt.FieldAt(ex.OffsetBits, ex.LenBits);
                if (field is not null) { ex.Desc = alt; break; }
            }
        }
        ex.Field = field;
        ex.Type = ex.Present ? T.Boolean : field?.Type ?? T.Integer;
    }
}
