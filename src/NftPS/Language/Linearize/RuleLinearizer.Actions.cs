using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Linearize;

internal sealed partial class RuleLinearizer
{
    private void LinearizeAction(ActionStatement a)
    {
        switch (a.Kind)
        {
            case "counter":
                _exprs.Add(new CounterExpression { Packets = a.Get<ulong?>("packets"), Bytes = a.Get<ulong?>("bytes") });
                break;
            case "last": _exprs.Add(Last(a)); break;
            case "log": _exprs.Add(Log(a)); break;
            case "limit": _exprs.Add(Limit(a.Options, a.Span)); break;
            case "quota": _exprs.Add(Quota(a.Options, a.Span)); break;
            case "reject": _exprs.Add(Reject(a)); break;
            case "snat" or "dnat": Nat(a); break;
            case "masquerade" or "redirect": MasqRedirect(a); break;
            case "tproxy": Tproxy(a); break;
            case "notrack": _exprs.Add(new NotrackExpression()); break;
            case "reset":
                // No register: the kernel strips the option (type and op only, like nft's optstrip).
                _exprs.Add(new ExthdrExpression { Type = (byte)a.Get<ExthdrNode>("option")!.Desc.Type, Operation = ExthdrOperation.TcpOption });
                break;
            case "flow": _exprs.Add(new FlowOffloadExpression { FlowtableName = a.Get<string>("table")! }); break;
            case "connlimit":
                _exprs.Add(new ConnlimitExpression { Count = (uint)a.Get<ulong>("count"), Flags = a.Has("over") ? ConnlimitFlags.Invert : null });
                break;
            case "objref":
            {
                var name = a.Get<Node>("name");
                string n = name is SymbolNode s ? s.Text : name?.ToString() ?? "";
                _exprs.Add(new ObjrefExpression { ObjectType = (NftObjectType)a.Get<int>("type"), ObjectName = n });
                break;
            }
            case "queue": Queue(a); break;
            case "dup" or "fwd": DupFwd(a); break;
            case "synproxy":
            {
                SynproxyFlags f = 0;
                if (a.Has("mss")) f |= SynproxyFlags.Mss;
                if (a.Has("wscale")) f |= SynproxyFlags.WindowScale;
                if (a.Has("timestamp")) f |= SynproxyFlags.Timestamp;
                if (a.Has("sack-perm")) f |= SynproxyFlags.SackPermitted;
                _exprs.Add(new SynproxyExpression { Mss = a.Has("mss") ? (ushort)a.Get<ulong>("mss") : null,
                    WindowScale = a.Has("wscale") ? (byte)a.Get<ulong>("wscale") : null, Flags = f });
                break;
            }
            default:
                throw new NftEvaluationException(a.Span, $"{a.Kind} is not supported yet");
        }
    }

    /// <summary>nft sends both attributes: set 0 and 0 ms for `last`, set 1 and the time for `last used 5m`.</summary>
    internal static LastExpression Last(ActionStatement a) =>
        a.Get<ulong?>("used") is ulong ms ? new LastExpression { Set = 1, Milliseconds = ms } : new LastExpression { Set = 0, Milliseconds = 0 };

    private static LogExpression Log(ActionStatement a)
    {
        var e = new LogExpression();
        if (a.Get<Token>("prefix") is { } p) e = e with { Prefix = p.Text };
        if (a.Has("group"))
            e = e with { Group = (ushort)a.Get<ulong>("group") };
        if (a.Has("snaplen")) e = e with { Snaplen = (uint)a.Get<ulong>("snaplen") };
        if (a.Has("queue-threshold")) e = e with { QueueThreshold = (ushort)a.Get<ulong>("queue-threshold") };
        if (a.Get<Token>("level") is { } l)
        {
            var level = l.Text switch
            {
                "emerg" => LogLevel.Emerg, "alert" => LogLevel.Alert, "crit" => LogLevel.Crit, "err" => LogLevel.Err,
                "warn" => LogLevel.Warning, "notice" => LogLevel.Notice, "info" => LogLevel.Info, "debug" => LogLevel.Debug,
                "audit" => LogLevel.Audit,
                _ => throw new NftEvaluationException(l.Span, "invalid log level"),
            };
            // nft 1.0.6 reports these on the statement, its location being the `log` keyword.
            var logWord = new SourceSpan(a.Span.Source, a.Span.Offset, Math.Min(3, a.Span.Length));
            if (a.Has("group") || a.Has("snaplen") || a.Has("queue-threshold"))
                throw new NftEvaluationException(logWord, "level and group are mutually exclusive");
            if (level == LogLevel.Audit && (a.Has("prefix") || a.Has("flags")))
                throw new NftEvaluationException(logWord, "log level audit doesn't support any further options");
            e = e with { Level = level };
        }
        if (a.Get<List<Token>>("flags") is { } flags)
        {
            LogFlags f = 0;
            foreach (var t in flags)
                f |= t.Text switch
                {
                    "tcp sequence" => LogFlags.TcpSequence, "tcp options" => LogFlags.TcpOptions, "ip options" => LogFlags.IpOptions,
                    "skuid" => LogFlags.Uid, "ether" => LogFlags.MacDecode, "all" => LogFlags.All,
                    _ => throw new NftEvaluationException(t.Span, "syntax error, unexpected " + t.Text),
                };
            e = e with { Flags = f };
        }
        return e;
    }

    private static ulong UnitSeconds(Token t) => t.Text switch
    {
        "second" => 1, "minute" => 60, "hour" => 3600, "day" => 86400, "week" => 604800,
        _ => throw new NftEvaluationException(t.Span, $"Wrong rate format: unknown time unit \"{t.Text}\" (second, minute, hour, day or week)"),
    };

    private static ulong ByteUnit(string unit, SourceSpan span) => unit switch
    {
        "bytes" => 1, "kbytes" => 1024, "mbytes" => 1024 * 1024, "gbytes" => 1024UL * 1024 * 1024,
        _ => throw new NftEvaluationException(span, "Wrong unit format, expecting bytes, kbytes or mbytes"),
    };

    internal static LimitExpression Limit(Dictionary<string, object?> o, SourceSpan span)
    {
        ulong rate = (ulong)o["rate"]!;
        var per = (Token)o["per"]!;
        bool bytes = o.TryGetValue("rateUnit", out var ru) && ru is string;
        // nft's rate parser knows bytes, kbytes and mbytes only.
        if (bytes && (string)ru! is not ("bytes" or "kbytes" or "mbytes")) throw new NftEvaluationException(span, "Wrong rate format");
        if (bytes) rate *= ByteUnit((string)ru!, span);
        if (rate == 0) throw new NftEvaluationException(span, "limit rate must be > 0");
        uint burst = bytes ? 0u : 5u;
        bool burstBytes = o.TryGetValue("burstUnit", out var bu0) && bu0 is string;
        if (o.ContainsKey("burst") && bytes != burstBytes)
            throw new NftEvaluationException(span, bytes ? "burst must be in bytes for a byte rate" : "burst must be in packets for a packet rate");
        if (o.TryGetValue("burst", out var b) && b is ulong bv)
        {
            burst = (uint)bv;
            if (o.TryGetValue("burstUnit", out var bu) && bu is string bus) burst = (uint)(bv * ByteUnit(bus, span));
        }
        return new LimitExpression { Rate = rate, Unit = UnitSeconds(per), Burst = burst, Type = bytes ? LimitType.Bytes : LimitType.Packets,
            Flags = o.ContainsKey("over") ? LimitFlags.Invert : LimitFlags.None };
    }

    internal static QuotaExpression Quota(Dictionary<string, object?> o, SourceSpan span)
    {
        var unit = (Token)o["unit"]!;
        ulong bytes = (ulong)o["bytes"]! * ByteUnit(unit.Text, unit.Span);
        ulong used = 0;
        if (o.TryGetValue("used", out var u) && u is ulong uv) used = uv * ByteUnit(((Token)o["usedUnit"]!).Text, span);
        return new QuotaExpression { Bytes = bytes, Consumed = used, Flags = o.ContainsKey("over") ? QuotaFlags.Invert : QuotaFlags.None };
    }

    private RejectExpression Reject(ActionStatement a)
    {
        var with = a.Get<Token>("with");
        if (with?.Text == "tcp") return new RejectExpression { Type = RejectType.TcpReset, IcmpCode = 0 };
        var code = a.Get<Token>("code");
        DataType table; RejectType type;
        switch (with?.Text)
        {
            case "icmp": table = T.IcmpCode; type = RejectType.IcmpUnreachable; break;
            case "icmpv6": table = T.Icmpv6Code; type = RejectType.IcmpUnreachable; break;
            case "icmpx": table = T.IcmpxCode; type = RejectType.IcmpxUnreachable; break;
            case null when a.Get<string>("rejectfamily") is { } rf:
                return new RejectExpression { Type = RejectType.IcmpUnreachable, IcmpCode = rf == "ip6" ? (byte)4 : (byte)3 };
            case null:
                return _ctx.Family switch
                {
                    NftFamily.Ip => new RejectExpression { Type = RejectType.IcmpUnreachable, IcmpCode = 3 },
                    NftFamily.Ip6 => new RejectExpression { Type = RejectType.IcmpUnreachable, IcmpCode = 4 },
                    _ => new RejectExpression { Type = RejectType.IcmpxUnreachable, IcmpCode = 1 },
                };
            default: throw new NftEvaluationException(with.Span, "syntax error, unexpected " + with.Text);
        }
        byte c;
        if (code is null) c = 0;
        else if (table.Symbols!.TryGetValue(code.Text, out var v)) c = (byte)v;
        else if (byte.TryParse(code.Text, out var n)) c = n;
        else throw new NftEvaluationException(code.Span, $"Could not parse {table.Description}");
        return new RejectExpression { Type = type, IcmpCode = c };
    }

    /// <summary>Loads a nat address/port operand; ranges use two registers. Returns (min, max) registers.</summary>
    private (uint Min, uint? Max) LoadOperand(Node n)
    {
        if (n is RangeNode r)
        {
            uint lo = AllocSlots(4), hi = AllocSlots(4);
            _exprs.Add(new ImmediateExpression { DestinationRegister = lo, Data = ValueBytes(r.Low, r.LengthBits) });
            _exprs.Add(new ImmediateExpression { DestinationRegister = hi, Data = ValueBytes(r.High, r.LengthBits) });
            return (lo, hi);
        }
        if (n is PrefixNode p)
        {
            uint lo = AllocSlots(4), hi = AllocSlots(4);
            int len = (p.LengthBits + 7) / 8;
            BigInteger v = new(ValueBytes(p.Inner, p.LengthBits), isUnsigned: true, isBigEndian: true);
            BigInteger host = (BigInteger.One << (len * 8 - p.PrefixLength)) - 1;
            _exprs.Add(new ImmediateExpression { DestinationRegister = lo, Data = BigEndianBytes(v & ~host, len) });
            _exprs.Add(new ImmediateExpression { DestinationRegister = hi, Data = BigEndianBytes((v & ~host) | host, len) });
            return (lo, hi);
        }
        uint reg = AllocRegister(n);
        Load(n, reg);
        return (reg, null);
    }

    private void Nat(ActionStatement a)
    {
        NatRangeFlags flags = NatFlags(a);
        uint? amin = null, amax = null, pmin = null, pmax = null;
        if (a.Get<Node>("addr") is { } addr)
        {
            var (lo, hi) = LoadOperand(addr);
            amin = lo; amax = hi;
            // nft 1.0.6 leaves NF_NAT_RANGE_MAP_IPS to the kernel (set whenever addr_min is given), and gives a port
            // that comes out of the address's map lookup without PROTO_SPECIFIED.
            int addrSlots = a.Get<string>("family") == "ip6" ? 4 : 1;
            if (a.Has("addrinterval") && a.Has("addrport"))
            {
                // The map's data is first address . first port . last address . last port (netlink_gen_nat_stmt).
                pmin = SlotToRegister(RegisterToSlot(lo) + addrSlots);
                amax = SlotToRegister(RegisterToSlot(lo) + addrSlots + 1);
                pmax = SlotToRegister(RegisterToSlot(lo) + 2 * addrSlots + 1);
            }
            else if (a.Has("addrinterval"))
            {
                // The map's data is first . last address: the last follows the first in the register file.
                amax = SlotToRegister(RegisterToSlot(lo) + addrSlots);
            }
            else if (a.Has("addrport"))
            {
                // Address and port come out of one map lookup: the port follows the address in the register file.
                pmin = SlotToRegister(RegisterToSlot(lo) + addrSlots);
            }
        }
        if (a.Get<Node>("port") is { } port)
        {
            var (lo, hi) = LoadOperand(port);
            pmin = lo; pmax = hi;
            flags |= NatRangeFlags.ProtoSpecified;
        }
        if (a.Has("prefix")) flags |= NatRangeFlags.Netmap;
        _exprs.Add(new NatExpression
        {
            Type = a.Kind == "snat" ? NatType.Snat : NatType.Dnat,
            Family = a.Get<string>("family") switch { "ip6" => 10u, "inet" => 1u, _ => 2u },
            AddressMinRegister = amin, AddressMaxRegister = amax, ProtoMinRegister = pmin, ProtoMaxRegister = pmax,
            Flags = flags == 0 ? null : flags,
        });
    }

    private static NatRangeFlags NatFlags(ActionStatement a)
    {
        NatRangeFlags f = 0;
        if (a.Get<List<Token>>("flags") is { } list)
            foreach (var t in list)
                f |= t.Text switch
                {
                    "random" => NatRangeFlags.ProtoRandom, "fully-random" => NatRangeFlags.ProtoRandomFully,
                    "persistent" => NatRangeFlags.Persistent, "netmap" => NatRangeFlags.Netmap, _ => 0,
                };
        return f;
    }

    private void MasqRedirect(ActionStatement a)
    {
        NatRangeFlags flags = NatFlags(a);
        uint? pmin = null, pmax = null;
        if (a.Get<Node>("port") is { } port)
        {
            var (lo, hi) = LoadOperand(port);
            pmin = lo; pmax = hi;
            flags |= NatRangeFlags.ProtoSpecified;
        }
        if (a.Kind == "masquerade")
            _exprs.Add(new MasqExpression { Flags = flags == 0 ? null : flags, ProtoMinRegister = pmin, ProtoMaxRegister = pmax });
        else
            _exprs.Add(new RedirExpression { Flags = flags == 0 ? null : flags, ProtoMinRegister = pmin, ProtoMaxRegister = pmax });
    }

    private void Tproxy(ActionStatement a)
    {
        uint? areg = null, preg = null;
        if (a.Get<Node>("addr") is { } addr) areg = LoadOperand(addr).Min;
        if (a.Get<Node>("port") is { } port) preg = LoadOperand(port).Min;
        string? fam = a.Get<string>("family");
        // Without an address in an inet table the family stays NFPROTO_UNSPEC; the kernel refuses NFPROTO_INET here.
        uint family = fam == "ip" ? 2u : fam == "ip6" ? 10u : 0u;
        _exprs.Add(new TproxyExpression { Family = family, AddressRegister = areg, PortRegister = preg });
    }

    private void Queue(ActionStatement a)
    {
        QueueFlags f = 0;
        if (a.Has("bypass")) f |= QueueFlags.Bypass;
        if (a.Has("fanout")) f |= QueueFlags.CpuFanout;
        var num = a.Get<Node>("num");
        switch (num)
        {
            case null:
                _exprs.Add(new QueueExpression { Number = 0, Total = 1, Flags = f });
                break;
            case ValueNode v:
                _exprs.Add(new QueueExpression { Number = (ushort)v.Value, Total = 1, Flags = f });
                break;
            case RangeNode r:
            {
                var lo = (ushort)((ValueNode)r.Low).Value;
                var hi = (ushort)((ValueNode)r.High).Value;
                _exprs.Add(new QueueExpression { Number = lo, Total = (ushort)(hi - lo + 1), Flags = f });
                break;
            }
            default:
            {
                uint reg = AllocRegister(num);
                Load(num, reg);
                _exprs.Add(new QueueExpression { SourceRegister = reg, Flags = f == 0 ? null : f });
                break;
            }
        }
    }

    private void DupFwd(ActionStatement a)
    {
        uint? addr = null, dev = null;
        var to = a.Get<Node>("to");
        var device = a.Get<Node>("device");
        if (a.Kind == "fwd" && device is null)
        {
            dev = LoadOperand(to!).Min;
            _exprs.Add(new FwdExpression { DeviceRegister = dev });
            return;
        }
        // nft 1.0.6 loads dup's address first, fwd's device first.
        if (a.Kind == "fwd" && device is not null) dev = LoadOperand(device).Min;
        if (a.Kind == "dup" && to is not null && to.Type == T.IfIndex) dev = LoadOperand(to).Min;
        else if (to is not null) addr = LoadOperand(to).Min;
        if (a.Kind == "dup" && device is not null) dev = LoadOperand(device).Min;
        if (a.Kind == "dup") _exprs.Add(new DupExpression { AddressRegister = addr, DeviceRegister = dev });
        else _exprs.Add(new FwdExpression { DeviceRegister = dev, AddressRegister = addr, Family = a.Get<string>("family") == "ip6" ? 10u : 2u });
    }
}
