using System.Text;

namespace NftPS.NfTables.Expressions;

/// <summary>How a constant is shown in libnftnl's text form. The newer libnftnl (the format of the conformance
/// .payload files) prints a big-endian constant in wire order and a host-order integer as its value; the wire bytes
/// alone cannot tell which, so the linearizer (which knows the data type) sets it. Decoded expressions show Wire.</summary>
public enum DataDisplayOrder
{
    /// <summary>Bytes in wire order, in groups of four: 1.2.3.4 → 0x01020304, port 22 → 0x0016.</summary>
    Wire = 0,
    /// <summary>A host-order integer, shown as its value: mark 0x30 (wire 30 00 00 00) → 0x00000030.</summary>
    Host = 1,
}

/// <summary>libnftnl's text form of expressions (the newer format of the conformance .payload files).</summary>
internal static class DebugFormat
{
    /// <summary>Groups of up to 4 bytes, each "0x" + hex, separated by blanks (host order: the reversed bytes).</summary>
    public static string Data(byte[] data, DataDisplayOrder order = DataDisplayOrder.Wire)
    {
        if (data.Length == 0) return "";
        ReadOnlySpan<byte> bytes = data;
        if (order == DataDisplayOrder.Host && BitConverter.IsLittleEndian)
        {
            var rev = data.ToArray();
            Array.Reverse(rev);
            bytes = rev;
        }
        var sb = new StringBuilder();
        for (int i = 0; i < bytes.Length; i += 4)
        {
            if (i > 0) sb.Append(' ');
            sb.Append("0x");
            foreach (byte b in bytes.Slice(i, Math.Min(4, bytes.Length - i))) sb.Append(b.ToString("x2"));
        }
        return sb.ToString();
    }

    public static string Verdict(NftVerdict v)
    {
        string name = v.Code switch
        {
            VerdictCode.Accept => "accept", VerdictCode.Drop => "drop", VerdictCode.Stolen => "stolen",
            VerdictCode.Queue => "queue", VerdictCode.Repeat => "repeat", VerdictCode.Stop => "stop",
            VerdictCode.Return => "return", VerdictCode.Jump => "jump", VerdictCode.Goto => "goto",
            VerdictCode.Continue => "continue", VerdictCode.Break => "break", _ => "unknown",
        };
        return v.Chain is null ? name : $"{name} -> {v.Chain}";
    }

    public static string CmpOp(CmpOperator op) => op switch
    {
        CmpOperator.Eq => "eq", CmpOperator.Neq => "neq", CmpOperator.Lt => "lt",
        CmpOperator.Lte => "lte", CmpOperator.Gt => "gt", CmpOperator.Gte => "gte", _ => "unknown",
    };

    private static readonly string[] MetaNames =
    {
        "len", "protocol", "priority", "mark", "iif", "oif", "iifname", "oifname", "iiftype", "oiftype", "skuid", "skgid",
        "nftrace", "rtclassid", "secmark", "nfproto", "l4proto", "bri_iifname", "bri_oifname", "pkttype", "cpu",
        "iifgroup", "oifgroup", "cgroup", "prandom", "secpath", "iifkind", "oifkind", "bri_iifpvid", "bri_iifvproto",
        "time", "day", "hour", "sdif", "sdifname", "broute", "ibrhwaddr",
    };

    public static string MetaKeyName(MetaKey k) => (uint)k < MetaNames.Length ? MetaNames[(uint)k] : "unknown";

    private static readonly string[] CtNames =
    {
        "state", "direction", "status", "mark", "secmark", "expiration", "helper", "l3protocol", "src", "dst",
        "protocol", "proto_src", "proto_dst", "label", "packets", "bytes", "avgpkt", "zone", "event", "src_ip",
        "dst_ip", "src_ip6", "dst_ip6", "id",
    };

    public static string CtKeyName(CtKey k) => (uint)k < CtNames.Length ? CtNames[(uint)k] : "unknown";

    public static string RtKeyName(RtKey k) => k switch
    {
        RtKey.ClassId => "classid", RtKey.NextHop4 => "nexthop4", RtKey.NextHop6 => "nexthop6",
        RtKey.TcpMss => "tcpmss", RtKey.Xfrm => "ipsec", _ => "unknown",
    };

    public static string BaseName(PayloadBase b) => b switch
    {
        PayloadBase.LinkLayer => "link", PayloadBase.Network => "network", PayloadBase.Transport => "transport",
        PayloadBase.Inner => "inner", PayloadBase.Tunnel => "tunnel", _ => "unknown",
    };

    /// <summary>NFPROTO value as libnftnl names it.</summary>
    public static string Family(uint nfproto) => nfproto switch
    {
        0 => "unspec", 1 => "inet", 2 => "ip", 3 => "arp", 5 => "netdev", 7 => "bridge", 10 => "ip6", _ => "unknown",
    };

    public static string Ct(CtExpression e)
    {
        string dir = e.Direction is CtDirection d ? $" , dir {(d == CtDirection.Original ? "original" : "reply")}" : "";
        return e.IsSet
            ? $"[ ct set {CtKeyName(e.Key)} with reg {e.SourceRegister}{dir} ]"
            : $"[ ct load {CtKeyName(e.Key)} => reg {e.DestinationRegister}{dir} ]";
    }

    public static string Bitwise(BitwiseExpression e)
    {
        string head = $"[ bitwise reg {e.DestinationRegister} = ( reg {e.SourceRegister} ";
        string Operand() => e.SourceRegister2 is uint r2 ? $"reg {r2}" : Data(e.Data ?? Array.Empty<byte>(), e.DisplayByteOrder);
        return e.EffectiveOperator switch
        {
            BitwiseOperator.MaskXor => head + $"& {Data(e.Mask ?? Array.Empty<byte>(), e.DisplayByteOrder)} ) ^ {Data(e.Xor ?? Array.Empty<byte>(), e.DisplayByteOrder)} ]",
            // The shift amount is a host-order u32 by definition.
            BitwiseOperator.LeftShift => head + $"<< {Data(e.Data ?? Array.Empty<byte>(), DataDisplayOrder.Host)} ) ]",
            BitwiseOperator.RightShift => head + $">> {Data(e.Data ?? Array.Empty<byte>(), DataDisplayOrder.Host)} ) ]",
            BitwiseOperator.And => head + $"& {Operand()} ) ]",
            BitwiseOperator.Or => head + $"| {Operand()} ) ]",
            BitwiseOperator.Xor => head + $"^ {Operand()} ) ]",
            _ => head + "unknown ) ]",
        };
    }

    public static string Payload(PayloadExpression e) => e.IsSet
        ? $"[ payload write reg {e.SourceRegister} => {e.Length}b @ {BaseName(e.Base)} header + {e.Offset} csum_type {(uint)(e.ChecksumType ?? 0)} csum_off {e.ChecksumOffset ?? 0} csum_flags 0x{(uint)(e.ChecksumFlags ?? 0):x} ]"
        : $"[ payload load {e.Length}b @ {BaseName(e.Base)} header + {e.Offset} => reg {e.DestinationRegister} ]";

    private static string ExthdrOp(ExthdrOperation? op) => op switch
    {
        ExthdrOperation.TcpOption => " tcpopt", ExthdrOperation.Ipv6 => " ipv6", ExthdrOperation.Ipv4 => " ipv4", _ => "",
    };

    public static string Exthdr(ExthdrExpression e)
    {
        string op = ExthdrOp(e.Operation);
        if (e.SourceRegister is uint sreg)
            return $"[ exthdr write{op} reg {sreg} => {e.Length}b @ {e.Type} + {e.Offset} ]";
        if (e.DestinationRegister is uint dreg)
        {
            string present = ((e.Flags ?? 0) & ExthdrFlags.Present) != 0 ? " present" : "";
            return $"[ exthdr load{op} {e.Length}b @ {e.Type} + {e.Offset}{present} => reg {dreg} ]";
        }
        return $"[ exthdr reset{op} {e.Type} ]";
    }

    public static string Fib(FibExpression e)
    {
        var parts = new List<string>();
        if ((e.Flags & FibFlags.SourceAddress) != 0) parts.Add("saddr");
        if ((e.Flags & FibFlags.DestinationAddress) != 0) parts.Add("daddr");
        if ((e.Flags & FibFlags.Mark) != 0) parts.Add("mark");
        if ((e.Flags & FibFlags.Iif) != 0) parts.Add("iif");
        if ((e.Flags & FibFlags.Oif) != 0) parts.Add("oif");
        string result = e.Result switch
        {
            FibResult.Oif => "oif", FibResult.OifName => "oifname", FibResult.AddressType => "type", _ => "unknown",
        };
        string present = (e.Flags & FibFlags.Present) != 0 ? " present" : "";
        return $"[ fib {string.Join(" . ", parts)} {result}{present} => reg {e.DestinationRegister} ]";
    }

    public static string Lookup(LookupExpression e)
    {
        var sb = new StringBuilder($"[ lookup reg {e.SourceRegister} set {e.SetName} ");
        if (e.DestinationRegister is uint d) sb.Append($"dreg {d} ");
        if (e.Flags is LookupFlags f && f != 0) sb.Append($"0x{(uint)f:x} ");
        return sb.Append(']').ToString();
    }

    public static string Dynset(DynsetExpression e)
    {
        string op = e.Operation switch
        {
            DynsetOperation.Add => "add", DynsetOperation.Update => "update", DynsetOperation.Delete => "delete", _ => "unknown",
        };
        var sb = new StringBuilder($"[ dynset {op} reg_key {e.SourceKeyRegister} set {e.SetName} ");
        if (e.SourceDataRegister is uint d) sb.Append($"sreg_data {d} ");
        if (e.Timeout is ulong t && t != 0) sb.Append($"timeout {t}ms ");
        var exprs = e.ElementExpressions ?? (e.ElementExpression is null ? Array.Empty<Expression>() : new[] { e.ElementExpression });
        foreach (var x in exprs) sb.Append("expr ").Append(x.ToDebugString()).Append(' ');
        return sb.Append(']').ToString();
    }

    public static string Log(LogExpression e)
    {
        var sb = new StringBuilder("[ log ");
        if (e.Prefix is not null) sb.Append($"prefix {e.Prefix} ");
        if (e.Group is ushort g)
            sb.Append($"group {g} snaplen {e.Snaplen ?? 0} qthreshold {e.QueueThreshold ?? 0} ");
        else
        {
            if (e.Level is LogLevel l) sb.Append($"level {(uint)l} ");
            if (e.Flags is LogFlags f)
            {
                if ((f & LogFlags.TcpSequence) != 0) sb.Append("tcpseq ");
                if ((f & LogFlags.TcpOptions) != 0) sb.Append("tcpopt ");
                if ((f & LogFlags.IpOptions) != 0) sb.Append("ipopt ");
                if ((f & LogFlags.Uid) != 0) sb.Append("uid ");
                if ((f & LogFlags.Nflog) != 0) sb.Append("nflog ");
                if ((f & LogFlags.MacDecode) != 0) sb.Append("macdecode ");
            }
        }
        return sb.Append(']').ToString();
    }

    public static string Limit(LimitExpression e)
    {
        string unit = e.Unit switch
        {
            1 => "second", 60 => "minute", 3600 => "hour", 86400 => "day", 604800 => "week", _ => "error",
        };
        string type = (e.Type ?? LimitType.Packets) == LimitType.Bytes ? "bytes" : "packets";
        return $"[ limit rate {e.Rate}/{unit} burst {e.Burst ?? 0} type {type} flags 0x{(uint)(e.Flags ?? 0):x} ]";
    }

    public static string Nat(NatExpression e)
    {
        var sb = new StringBuilder($"[ nat {(e.Type == NatType.Snat ? "snat" : e.Type == NatType.Dnat ? "dnat" : "unknown")} {Family(e.Family)} ");
        if (e.AddressMinRegister is uint a1) sb.Append($"addr_min reg {a1} ");
        if (e.AddressMaxRegister is uint a2) sb.Append($"addr_max reg {a2} ");
        if (e.ProtoMinRegister is uint p1) sb.Append($"proto_min reg {p1} ");
        if (e.ProtoMaxRegister is uint p2) sb.Append($"proto_max reg {p2} ");
        if (e.Flags is NatRangeFlags f) sb.Append($"flags 0x{(uint)f:x} ");
        return sb.Append(']').ToString();
    }

    public static string MasqRedir(string name, NatRangeFlags? flags, uint? min, uint? max)
    {
        var sb = new StringBuilder($"[ {name} ");
        if (min is uint p1) sb.Append($"proto_min reg {p1} ");
        if (max is uint p2) sb.Append($"proto_max reg {p2} ");
        if (flags is NatRangeFlags f) sb.Append($"flags 0x{(uint)f:x} ");
        return sb.Append(']').ToString();
    }

    public static string Tproxy(TproxyExpression e)
    {
        var sb = new StringBuilder("[ tproxy ");
        if (e.Family != 0) sb.Append(Family(e.Family)).Append(' ');
        if (e.AddressRegister is uint a) sb.Append($"addr reg {a} ");
        if (e.PortRegister is uint p) sb.Append($"port reg {p} ");
        return sb.Append(']').ToString();
    }

    public static string Socket(SocketExpression e)
    {
        string key = e.Key switch
        {
            SocketKey.Transparent => "transparent", SocketKey.Mark => "mark", SocketKey.Wildcard => "wildcard",
            SocketKey.CgroupV2 => "cgroupv2", _ => "unknown",
        };
        string level = e.Level is uint l ? $"level {l} " : "";
        return $"[ socket load {key} => reg {e.DestinationRegister} {level}]";
    }

    public static string Osf(OsfExpression e) => $"[ osf dreg {e.DestinationRegister} ]";

    public static string Hash(HashExpression e)
    {
        string offset = e.Offset is uint o && o != 0 ? $" offset {o}" : "";
        return e.EffectiveType == HashType.Symmetric
            ? $"[ hash reg {e.DestinationRegister} = symhash() % mod {e.Modulus}{offset} ]"
            : $"[ hash reg {e.DestinationRegister} = jhash(reg {e.SourceRegister ?? 0}, {e.Length ?? 0}, 0x{e.Seed ?? 0:x}) % mod {e.Modulus}{offset} ]";
    }

    public static string Numgen(NumgenExpression e)
    {
        string type = e.Type == NumgenType.Incremental ? "inc" : e.Type == NumgenType.Random ? "random" : "unknown";
        string offset = e.Offset is uint o && o != 0 ? $"offset {o} " : "";
        return $"[ numgen reg {e.DestinationRegister} = {type} mod {e.Modulus} {offset}]";
    }

    public static string Queue(QueueExpression e)
    {
        var sb = new StringBuilder("[ queue ");
        if (e.Number is ushort n)
        {
            ushort total = e.Total ?? 1;
            sb.Append(total > 1 ? $"num {n}-{n + total - 1} " : $"num {n} ");
        }
        if (e.SourceRegister is uint s) sb.Append($"sreg_qnum {s} ");
        if (e.Flags is QueueFlags f)
        {
            if ((f & QueueFlags.Bypass) != 0) sb.Append("bypass ");
            if ((f & QueueFlags.CpuFanout) != 0) sb.Append("fanout ");
        }
        return sb.Append(']').ToString();
    }

    public static string Dup(DupExpression e)
    {
        var sb = new StringBuilder("[ dup ");
        if (e.AddressRegister is uint a) sb.Append($"sreg_addr {a} ");
        if (e.DeviceRegister is uint d) sb.Append($"sreg_dev {d} ");
        return sb.Append(']').ToString();
    }

    public static string Fwd(FwdExpression e)
    {
        var sb = new StringBuilder("[ fwd ");
        if (e.DeviceRegister is uint d) sb.Append($"sreg_dev {d} ");
        if (e.AddressRegister is uint a) sb.Append($"sreg_addr {a} ");
        if (e.Family is uint f) sb.Append($"nfproto {f} ");
        return sb.Append(']').ToString();
    }

    public static string Xfrm(XfrmExpression e)
    {
        string key = e.Key switch
        {
            XfrmKey.DaddrIp4 => "daddr4", XfrmKey.DaddrIp6 => "daddr6", XfrmKey.SaddrIp4 => "saddr4",
            XfrmKey.SaddrIp6 => "saddr6", XfrmKey.ReqId => "reqid", XfrmKey.Spi => "spi", _ => "unknown",
        };
        string dir = e.Direction == XfrmDirection.In ? "in" : "out";
        return $"[ xfrm load {dir} {e.SpNum} {key} => reg {e.DestinationRegister} ]";
    }

    public static string Inner(InnerExpression e) =>
        $"[ inner type {(uint)e.Type} hdrsize {e.HeaderSize} flags {(uint)e.Flags:x} {e.Body?.ToDebugString() ?? "[ ]"} ]";
}
