using System.Globalization;
using System.Text;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.NfTables.Expressions;

namespace NftPS.Language.Printing;

/// <summary>The text of the typed statements as nft 1.0.6 prints them (its *_stmt_print functions).</summary>
internal static class StatementText
{
    private static readonly string[] LogLevels = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit" };
    private static readonly string[] ObjTypes = { "", "counter", "quota", "ct helper", "limit", "ct count", "tunnel", "ct timeout", "secmark", "ct expectation", "synproxy" };

    /// <summary>nft's name of an NFT_OBJECT_* type (`ct helper`, `quota`…), "unknown" for one it does not know.</summary>
    public static string ObjectTypeName(uint type) => ObjTypes.ElementAtOrDefault((int)type) ?? "unknown";

    public static string LogLevelName(LogLevel level) =>
        LogLevels.ElementAtOrDefault((int)level) ?? ((int)level).ToString(CultureInfo.InvariantCulture);

    public static string Counter(CounterS c, bool stateless) =>
        stateless ? "counter" : $"counter packets {c.Packets} bytes {c.Bytes}";

    /// <summary>nft 1.1's last_stmt_print: `last` when stateless, else `last used never` or `last used 1h2m3s`. A set
    /// time of 0 ms is printed `0ms`, where nft would print nothing after `used` (text it cannot read back).</summary>
    public static string Last(bool used, ulong milliseconds, bool stateless)
    {
        if (stateless) return "last";
        if (!used) return "last used never";
        return "last used " + (milliseconds == 0 ? "0ms" : ValueFormatter.FormatTime(milliseconds));
    }

    public static string Log(LogS l)
    {
        var sb = new StringBuilder("log");
        if (l.Prefix is { } prefix) sb.Append(" prefix \"").Append(prefix).Append('"');
        if (l.Group is { } g) sb.Append(" group ").Append(g);
        if (l.Snaplen != 0) sb.Append(" snaplen ").Append(l.Snaplen);
        if (l.QueueThreshold != 0) sb.Append(" queue-threshold ").Append(l.QueueThreshold);
        if (l.Group is null && l.Level is { } lv && lv != LogLevel.Warning) sb.Append(" level ").Append(LogLevelName(lv));
        uint flags = l.Flags;
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

    public static string TimeUnit(ulong unit) => unit switch
    {
        1 => "second", 60 => "minute", 3600 => "hour", 86400 => "day", 604800 => "week", _ => "error",
    };

    /// <summary>get_rate: the largest of bytes/kbytes/mbytes that divides the value exactly.</summary>
    public static (ulong Value, string Unit) DataUnit(ulong bytes)
    {
        string[] units = { "bytes", "kbytes", "mbytes" };
        int i = 0;
        while (i < units.Length - 1 && bytes != 0 && bytes % 1024 == 0) { bytes /= 1024; i++; }
        return (bytes, units[i]);
    }

    public static string Limit(LimitS l)
    {
        string o = l.Over ? "over " : "";
        if (l.Bytes)
        {
            var (rate, unit) = DataUnit(l.Rate);
            string s = $"limit rate {o}{rate} {unit}/{TimeUnit(l.Unit)}";
            if (l.Burst != 0)
            {
                var (b, bu) = DataUnit(l.Burst);
                s += $" burst {b} {bu}";
            }
            return s;
        }
        string text = $"limit rate {o}{l.Rate}/{TimeUnit(l.Unit)}";
        if (l.Burst != 0 && l.Burst != 5) text += $" burst {l.Burst} packets";
        return text;
    }

    public static string Quota(QuotaS q, bool stateless)
    {
        var (v, u) = DataUnit(q.Bytes);
        string s = $"quota {(q.Over ? "over " : "")}{v} {u}";
        if (!stateless && q.Used != 0)
        {
            var (cv, cu) = DataUnit(q.Used);
            s += $" used {cv} {cu}";
        }
        return s;
    }

    public static string Connlimit(ConnlimitS c) => $"ct count {(c.Over ? "over " : "")}{c.Count}";

    public static string Queue(QueueS q)
    {
        var sb = new StringBuilder("queue");
        if (q.Flags != 0)
        {
            var parts = new List<string>();
            if ((q.Flags & 1) != 0) parts.Add("bypass");
            if ((q.Flags & 2) != 0) parts.Add("fanout");
            sb.Append(" flags ").Append(string.Join(",", parts));
        }
        if (q.Total > 1) sb.Append($" to {q.Number}-{q.Number + q.Total - 1}");
        else if (q.Number != 0 || q.Flags != 0) sb.Append(" to ").Append(q.Number);
        return sb.ToString();
    }

    public static string Synproxy(SynproxyS s)
    {
        var sb = new StringBuilder("synproxy");
        if ((s.Flags & 1) != 0) sb.Append(" mss ").Append(s.Mss);
        if ((s.Flags & 2) != 0) sb.Append(" wscale ").Append(s.WindowScale);
        if ((s.Flags & 8) != 0) sb.Append(" timestamp");
        if ((s.Flags & 4) != 0) sb.Append(" sack-perm");
        return sb.ToString();
    }

    /// <summary>NF_NAT_RANGE_* flag names in nft's order.</summary>
    public static List<string> NatFlagNames(uint flags)
    {
        var parts = new List<string>();
        if ((flags & 0x04) != 0) parts.Add("random");
        if ((flags & 0x10) != 0) parts.Add("fully-random");
        if ((flags & 0x08) != 0) parts.Add("persistent");
        if ((flags & 0x40) != 0) parts.Add("netmap");
        return parts;
    }

    private static string NatFlags(uint flags)
    {
        var parts = NatFlagNames(flags);
        return parts.Count == 0 ? "" : " " + string.Join(",", parts);
    }

    public static string NatVerb(NatOperation op) => op switch
    {
        NatOperation.Snat => "snat", NatOperation.Dnat => "dnat", NatOperation.Masquerade => "masquerade", _ => "redirect",
    };

    /// <summary>A port range whose ends are the same constant prints as one port (masquerade/redirect).</summary>
    internal static bool SameValue(SExpr a, SExpr b) =>
        ReferenceEquals(a, b) || a is ValueX va && b is ValueX vb && va.Value == vb.Value;

    public static string Nat(NatS n, ExprPrinter p)
    {
        var sb = new StringBuilder(NatVerb(n.Operation));
        if (n.Operation is NatOperation.Masquerade or NatOperation.Redirect)
        {
            if (n.PortMin is not null)
            {
                sb.Append(" to :").Append(p.Print(n.PortMin));
                if (n.PortMax is not null && !SameValue(n.PortMin, n.PortMax)) sb.Append('-').Append(p.Print(n.PortMax));
            }
            return sb.Append(NatFlags(n.Flags)).ToString();
        }
        bool v6 = n.Family == 10;
        SExpr? addrMin = n.AddressMin, addrMax = n.AddressMax, protoMin = n.PortMin, protoMax = n.PortMax;
        if (addrMin is not null || protoMin is not null || addrMax is not null || protoMax is not null)
        {
            if (n.PrintFamily && n.Family is 2 or 10) sb.Append(v6 ? " ip6" : " ip");
            if (n.Prefix) sb.Append(" prefix");
            sb.Append(" to");
        }
        var addr = addrMin ?? addrMax;
        if (addr is not null)
        {
            sb.Append(' ');
            bool bracket = v6 && (protoMin ?? protoMax) is not null;
            if (addrMin is not null && addrMax is not null)
            {
                if (RangePrefix.Of(addrMin, addrMax) is { } plen) sb.Append(p.Print(addrMin)).Append('/').Append(plen);
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
        return sb.Append(NatFlags(n.Flags & ~(uint)NatRangeFlags.Netmap)).ToString();
    }

    public static string Tproxy(TproxyS tp, ExprPrinter p)
    {
        bool v6 = tp.Family == 10;
        var sb = new StringBuilder("tproxy");
        if (tp.PrintFamily) sb.Append(v6 ? " ip6" : " ip");
        sb.Append(" to");
        if (tp.Address is { } addr)
        {
            sb.Append(' ');
            if (v6 && addr is ValueX) sb.Append('[').Append(p.Print(addr)).Append(']');
            else sb.Append(p.Print(addr));
        }
        // tproxy_stmt_print shows the port only when it is a constant
        if (tp.Port is ValueX port) sb.Append(tp.Address is null ? " :" : ":").Append(p.Print(port));
        return sb.ToString();
    }

    public static string Dup(DupS d, ExprPrinter p) =>
        "dup" + (d.To is not null ? " to " + p.Print(d.To) + (d.Device is not null ? " device " + p.Print(d.Device) : "") : "");

    public static string Fwd(FwdS f, ExprPrinter p) => f.Address is not null
        ? $"fwd {(f.Family == 10 ? "ip6" : "ip")} to {p.Print(f.Address)} device {p.Print(f.Device)}"
        : "fwd to " + p.Print(f.Device);

    public static string Objref(ObjrefS o, ExprPrinter p)
    {
        string kind = ObjectTypeName(o.ObjectType);
        string target = o.Map is not null ? p.Print(o.Map) : "\"" + o.Name + "\"";
        return kind switch
        {
            "ct helper" or "ct timeout" or "ct expectation" => $"{kind} set {target}",
            "secmark" when o.Map is null => $"meta secmark set {target}",
            _ => $"{kind} name {target}",
        };
    }

    public static string Dynset(DynsetS d, ExprPrinter p)
    {
        var sb = new StringBuilder();
        if (d.IsMeter)
        {
            sb.Append("meter ").Append(d.Set.Name);
            if (d.MeterSize is > 0) sb.Append(" size ").Append(d.MeterSize.Value);
            sb.Append(" { ").Append(p.Print(d.Key));
            if (d.Timeout != 0) sb.Append(" timeout ").Append(ValueFormatter.FormatTime(d.Timeout));
            return sb.Append(' ').Append(p.AsStateless().PrintStatement(d.Statements[0])).Append(" }").ToString();
        }
        sb.Append(DynsetVerb(d.Operation)).Append(" @").Append(d.Set.Name).Append(" { ").Append(p.Print(d.Key));
        if (d.Timeout != 0) sb.Append(" timeout ").Append(ValueFormatter.FormatTime(d.Timeout));
        // nft prints the statements an element is created with stateless
        var stateless = p.AsStateless();
        foreach (var st in d.Statements) sb.Append(' ').Append(stateless.PrintStatement(st));
        if (d.Data is not null) sb.Append(" : ").Append(p.Print(d.Data));
        return sb.Append(" }").ToString();
    }

    public static string DynsetVerb(DynsetOperation op) => op switch
    {
        DynsetOperation.Add => "add", DynsetOperation.Update => "update", _ => "delete",
    };

    public static string MetaSet(MetaSetS m, ExprPrinter p) => $"{m.Key.Text} set {p.PrintSetValue(m.Value)}";

    public static string CtSet(CtSetS c, ExprPrinter p) =>
        "ct " + (c.Direction >= 0 ? Protocols.CtKeys.DirectionName(c.Direction) + " " : "") + c.Key.Token + " set " + p.PrintSetValue(c.Value);
}
