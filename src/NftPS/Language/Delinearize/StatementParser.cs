using NftPS.NfTables;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Delinearize;

/// <summary>The statement half of netlink_parse_*: counter, log, limit, nat, dynset... become typed statements
/// (Model/Statements); the non-payload loads go to <see cref="LoadParser"/>. Nothing here prints: the text and
/// JSON printers read the statements.</summary>
internal static class StatementParser
{
    public static bool Parse(RuleParser ctx, Expression e)
    {
        var stmts = ctx.Statements;
        switch (e)
        {
            case CounterExpression c:
                stmts.Add(new CounterS { Packets = c.Packets ?? 0, Bytes = c.Bytes ?? 0 });
                return true;
            case LastExpression last:
                stmts.Add(new LastS { Used = (last.Set ?? 0) != 0, Milliseconds = last.Milliseconds ?? 0 });
                return true;
            case LogExpression l:
                stmts.Add(new LogS
                {
                    Prefix = l.Prefix, Group = l.Group, Snaplen = l.Snaplen ?? 0, QueueThreshold = l.QueueThreshold ?? 0,
                    Level = l.Level, Flags = (uint)(l.Flags ?? 0),
                });
                return true;
            case LimitExpression l:
                stmts.Add(new LimitS
                {
                    Rate = l.Rate, Unit = l.Unit, Burst = l.Burst ?? 0, Bytes = l.Type == LimitType.Bytes,
                    Over = l.Flags is { } lf && (lf & LimitFlags.Invert) != 0,
                });
                return true;
            case QuotaExpression q:
                stmts.Add(new QuotaS { Bytes = q.Bytes, Used = q.Consumed ?? 0, Over = q.Flags is { } qf && (qf & QuotaFlags.Invert) != 0 });
                return true;
            case ConnlimitExpression cl:
                stmts.Add(new ConnlimitS { Count = cl.Count, Over = (cl.Flags ?? 0) != 0 });
                return true;
            case NotrackExpression:
                stmts.Add(new NotrackS());
                return true;
            case FlowOffloadExpression fo:
                stmts.Add(new FlowOffloadS { Flowtable = fo.FlowtableName });
                return true;
            case RejectExpression r:
                stmts.Add(new RejectS { Type = r.Type, Code = r.IcmpCode ?? 0 });
                return true;
            case NatExpression n:
                return ParseNat(ctx, n);
            case MasqExpression m:
                return ParsePortRedirect(ctx, NatOperation.Masquerade, m.Flags, m.ProtoMinRegister, m.ProtoMaxRegister);
            case RedirExpression r:
                return ParsePortRedirect(ctx, NatOperation.Redirect, r.Flags, r.ProtoMinRegister, r.ProtoMaxRegister);
            case TproxyExpression tp:
                stmts.Add(new TproxyS
                {
                    Family = (int)tp.Family, PrintFamily = ctx.Family == NftFamily.Inet && tp.Family != 0,
                    Address = tp.AddressRegister is { } tar ? ctx.Reg(tar) : null,
                    Port = tp.PortRegister is { } tpr ? ctx.Reg(tpr) : null,
                });
                return true;
            case DupExpression d:
            {
                var addr = d.AddressRegister is { } ar ? ctx.Reg(ar) : null;
                var dev = d.DeviceRegister is { } dr ? ctx.Reg(dr) : null;
                // netlink_parse_dup: a device without an address is the `to` operand (netdev: `dup to "lo"`)
                stmts.Add(new DupS { To = addr ?? dev, Device = addr is not null ? dev : null, ToIsAddress = addr is not null });
                return true;
            }
            case FwdExpression f:
            {
                var dev = f.DeviceRegister is { } dr ? ctx.Reg(dr) : null;
                if (dev is null) return false;
                stmts.Add(new FwdS { Device = dev, Address = f.AddressRegister is { } ar ? ctx.Reg(ar) : null, Family = (int)(f.Family ?? 0) });
                return true;
            }
            case QueueExpression q:
                stmts.Add(new QueueS { Number = q.Number ?? 0, Total = q.Total ?? 1, Flags = (uint)(q.Flags ?? 0) });
                return true;
            case ObjrefExpression o:
                return ParseObjref(ctx, o);
            case DynsetExpression d:
                return ParseDynset(ctx, d);
            case SynproxyExpression sp:
                stmts.Add(new SynproxyS { Flags = (uint)(sp.Flags ?? 0), Mss = sp.Mss, WindowScale = sp.WindowScale });
                return true;
            case ExthdrExpression x:
                return ParseExthdr(ctx, x);
            default:
                return LoadParser.Parse(ctx, e);
        }
    }

    private static bool ParseNat(RuleParser ctx, NatExpression n)
    {
        // netlink_parse_nat: which registers count depends on the map the address comes from
        bool v6 = n.Family == 10;
        uint flags = (uint)(n.Flags ?? 0);
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
        ctx.Statements.Add(new NatS
        {
            Operation = n.Type == NatType.Snat ? NatOperation.Snat : NatOperation.Dnat,
            Family = (int)n.Family, PrintFamily = printFamily,
            Prefix = (flags & (uint)NatRangeFlags.Netmap) != 0, Flags = flags,
            AddressMin = addrMin, AddressMax = addrMax, PortMin = protoMin, PortMax = protoMax,
        });
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

    private static bool ParsePortRedirect(RuleParser ctx, NatOperation op, NatRangeFlags? flags, uint? minReg, uint? maxReg)
    {
        var min = minReg is { } r1 ? ctx.Reg(r1) : null;
        var max = maxReg is { } r2 ? ctx.Reg(r2) : null;
        ctx.Statements.Add(new NatS { Operation = op, Flags = (uint)(flags ?? 0), PortMin = min, PortMax = max });
        return true;
    }

    private static bool ParseObjref(RuleParser ctx, ObjrefExpression o)
    {
        if (o.ObjectName is { } name)
        {
            ctx.Statements.Add(new ObjrefS { ObjectType = (uint)(o.ObjectType ?? 0), Name = name });
            return true;
        }
        if (o.SetName is { } setName && o.SetSourceRegister is { } sreg)
        {
            var set = ctx.MakeSetRef(setName);
            var key = ctx.RegSpan(sreg, (int)(set.Set?.KeyLength ?? 4));
            if (key is null) return false;
            ctx.Statements.Add(new ObjrefS { ObjectType = set.Set?.ObjectType ?? 0, Map = new MapX { Key = key, Set = set } });
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
        var data = d.SourceDataRegister is { } dr ? ctx.RegSpan(dr, (int)(set.Set?.DataLength ?? 4)) : null;
        if (data is ConcatX) TypeConcatConstants(data, set.Set?.DataType);
        var inner = new List<Expression>();
        if (d.ElementExpression is { } ee) inner.Add(ee);
        if (d.ElementExpressions is { } ees) inner.AddRange(ees);
        var sub = new RuleParser(ctx.Family, "", null);
        sub.Parse(inner);
        ctx.Statements.Add(new DynsetS
        {
            Operation = d.Operation, Set = set, Key = new ElementKeyX { Key = rawKey, LenBits = rawKey.LenBits },
            Timeout = d.Timeout ?? 0, Statements = sub.Statements, Data = data,
            IsMeter = data is null && sub.Statements.Count > 0 && set.Set?.IsAnonymous == true, MeterSize = set.Set?.Size,
        });
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
            ctx.Statements.Add(new ExthdrSetS { Target = ex, Value = value });
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
        ctx.Statements.Add(new ExthdrResetS { Option = option });
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
