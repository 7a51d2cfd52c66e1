using NftPS.NfTables;
using System.Globalization;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Delinearize;

/// <summary>First delinearize stage (netlink_parse_*): tracks what each register holds and turns kernel
/// expressions into relational matches and statements.</summary>
internal sealed class RuleParser
{
    // One slot per 32-bit data register (NFT_REG32_00..15; a 128-bit register is four of them).
    private readonly SExpr?[] _regs = new SExpr?[16];
    private readonly NftRuleset? _ruleset;
    private readonly NftFamily _family;
    private readonly string _table;
    public List<SStmt> Statements { get; } = new();
    public bool Undecoded { get; private set; }

    public RuleParser(NftFamily family, string table, NftRuleset? ruleset)
    {
        _family = family;
        _table = table;
        _ruleset = ruleset;
    }

    private static int Slot(uint reg) => Registers.ToSlot(Registers.Normalize(reg));

    private void Set(uint reg, SExpr e) => _regs[Slot(reg)] = e;

    private SExpr? Get(uint reg) => _regs[Slot(reg)]?.Clone();

    /// <summary>netlink_parse_concat_expr: a value spanning several registers is a concatenation.</summary>
    private SExpr? GetSpan(uint reg, int lenBytes)
    {
        var first = Get(reg);
        if (first is null) return null;
        int firstLen = Pad4((first.LenBits + 7) / 8);
        if (lenBytes <= firstLen || lenBytes <= 4 && first.LenBits == 0) return first;
        var concat = new ConcatX();
        int slot = Slot(reg), remaining = lenBytes;
        while (remaining > 0)
        {
            if ((uint)slot >= (uint)_regs.Length || _regs[slot] is not { } e) return null;
            concat.Items.Add(e.Clone());
            int l = Pad4((e.LenBits + 7) / 8);
            if (l == 0) l = 4;
            remaining -= l;
            slot += l / 4;
        }
        concat.LenBits = lenBytes * 8;
        return concat;
    }

    private static int Pad4(int n) => (n + 3) / 4 * 4;

    private SetRefX SetRef(string name)
    {
        var set = _ruleset?.FindSet(_family, _table, name);
        return new SetRefX { Name = name, Set = set };
    }

    private void Unknown(Expression e)
    {
        Undecoded = true;
        Statements.Add(new UnknownS(e));
    }

    public void Parse(IEnumerable<Expression> expressions)
    {
        foreach (var e in expressions)
        {
            try
            {
                if (!ParseOne(e)) Unknown(e);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException)
            {
                Unknown(e);
            }
        }
    }

    private bool ParseOne(Expression e)
    {
        switch (e)
        {
            case PayloadExpression p when !p.IsSet:
                Set(p.DestinationRegister!.Value, new PayloadX
                {
                    Base = (ProtoBase)((int)p.Base + 1), OffsetBits = (int)p.Offset * 8, LenBits = (int)p.Length * 8,
                    Type = T.HexInteger, Order = ByteOrder.BigEndian,
                });
                return true;
            case PayloadExpression p:
            {
                var value = Get(p.SourceRegister!.Value);
                if (value is null) return false;
                var target = new PayloadX
                {
                    Base = (ProtoBase)((int)p.Base + 1), OffsetBits = (int)p.Offset * 8, LenBits = (int)p.Length * 8,
                    Type = T.HexInteger, Order = ByteOrder.BigEndian,
                };
                Statements.Add(new PayloadSetS(target, value));
                return true;
            }
            case MetaExpression m:
            {
                var key = MetaKeys.FromKey((int)m.Key);
                if (key is null) return false;
                if (m.IsSet)
                {
                    var value = Get(m.SourceRegister!.Value);
                    if (value is null) return false;
                    Statements.Add(new MetaSetS { Key = key, Value = value });
                }
                else
                    Set(m.DestinationRegister!.Value, new MetaX { Key = key, Type = key.Type, Order = key.ByteOrder, LenBits = key.LengthBits });
                return true;
            }
            case CtExpression c:
            {
                var key = CtKeys.FromKey((int)c.Key);
                if (key is null) return false;
                int dir = c.Direction is { } d ? (int)d : -1;
                if (c.IsSet)
                {
                    var value = Get(c.SourceRegister!.Value);
                    if (value is null) return false;
                    Statements.Add(new CtSetS { Key = key, Direction = dir, Value = value });
                }
                else
                    Set(c.DestinationRegister!.Value, new CtX { Key = key, Direction = dir, Type = key.Type, Order = key.ByteOrder, LenBits = key.LengthBits });
                return true;
            }
            case ImmediateExpression imm:
                if (imm.DestinationRegister == 0 && imm.Verdict is { } v)
                {
                    Statements.Add(new VerdictS { Verdict = v, Family = _family, Table = _table });
                    return true;
                }
                if (imm.Data is null) return false;
                Set(imm.DestinationRegister, ValueX.FromRaw(imm.Data));
                return true;
            case CmpExpression cmp:
            {
                var left = GetSpan(cmp.SourceRegister, cmp.Data.Length);
                if (left is null) return false;
                SExpr right = ValueX.FromRaw(cmp.Data);
                int dataBits = cmp.Data.Length * 8;
                if (left is not PayloadX && left.LenBits > dataBits && !left.Type.IsString && left.LenBits % 8 == 0)
                {
                    // netlink_parse_cmp: a shorter compare matches a prefix (`ct original ip saddr 192.168.1.0/24`)
                    var padded = new byte[left.LenBits / 8];
                    cmp.Data.CopyTo(padded, 0);
                    right = new PrefixX { Inner = ValueX.FromRaw(padded), PrefixLength = dataBits, LenBits = left.LenBits };
                }
                Statements.Add(new MatchS { Left = left, Op = (RelOp)(int)cmp.Operator, Right = right });
                return true;
            }
            case RangeExpression r:
            {
                var left = GetSpan(r.SourceRegister, r.From.Length);
                if (left is null) return false;
                var range = new RangeX { From = ValueX.FromRaw(r.From), To = ValueX.FromRaw(r.To), LenBits = r.From.Length * 8 };
                Statements.Add(new MatchS { Left = left, Op = r.Operator == RangeOperator.Neq ? RelOp.Neq : RelOp.Eq, Right = range });
                return true;
            }
            case BitwiseExpression b:
            {
                var src = GetSpan(b.SourceRegister, (int)b.Length);
                if (src is null) return false;
                SExpr result;
                switch (b.EffectiveOperator)
                {
                    case BitwiseOperator.MaskXor:
                    {
                        result = src;
                        var mask = ValueX.FromRaw(b.Mask ?? Array.Empty<byte>());
                        var xor = ValueX.FromRaw(b.Xor ?? Array.Empty<byte>());
                        bool maskAllOnes = (b.Mask ?? Array.Empty<byte>()).All(x => x == 0xff);
                        byte[] mb = b.Mask ?? Array.Empty<byte>(), xb = b.Xor ?? Array.Empty<byte>();
                        if (mb.Length == xb.Length && xb.Any(x => x != 0) && !maskAllOnes &&
                            mb.Zip(xb).All(t => (t.First | t.Second) == 0xff && (t.First & t.Second) == 0))
                        {
                            Set(b.DestinationRegister, new BinopX { Op = BinopKind.Or, Left = src, Right = xor, LenBits = src.LenBits });
                            return true;
                        }
                        if (!maskAllOnes)
                            result = new BinopX { Op = BinopKind.And, Left = result, Right = mask, LenBits = src.LenBits };
                        if ((b.Xor ?? Array.Empty<byte>()).Any(x => x != 0))
                            result = new BinopX { Op = BinopKind.Xor, Left = result, Right = xor, LenBits = src.LenBits };

                        break;
                    }
                    case BitwiseOperator.LeftShift:
                    case BitwiseOperator.RightShift:
                    {
                        var shift = ValueX.FromRaw(b.Data ?? new byte[4]);
                        shift.SetType(T.Integer, ByteOrder.Host);
                        result = new BinopX
                        {
                            Op = b.EffectiveOperator == BitwiseOperator.LeftShift ? BinopKind.LeftShift : BinopKind.RightShift,
                            Left = src, Right = shift, LenBits = src.LenBits,
                        };
                        break;
                    }
                    default:
                        return false;
                }
                Set(b.DestinationRegister, result);
                return true;
            }
            case ByteorderExpression bo:
            {
                var src = Get(bo.SourceRegister);
                if (src is null) return false;
                var flipped = src.Order == ByteOrder.BigEndian ? ByteOrder.Host : ByteOrder.BigEndian;
                Set(bo.DestinationRegister, new UnaryX { Inner = src, Type = src.Type, Order = flipped, LenBits = src.LenBits });
                return true;
            }
            case LookupExpression l:
            {
                var set = SetRef(l.SetName);
                int keyLen = (int)(set.Set?.KeyLength ?? 4);
                var key = GetSpan(l.SourceRegister, keyLen);
                if (key is null) return false;
                bool invert = l.Flags is { } f && (f & LookupFlags.Invert) != 0;
                if (l.DestinationRegister is { } dreg)
                {
                    if (dreg == 0)
                    {
                        Statements.Add(new VmapS(new MapX { Key = key, Set = set, Verdict = true }));
                    }
                    else
                    {
                        var map = new MapX { Key = key, Set = set, LenBits = (int)(set.Set?.DataLength ?? 4) * 8 };
                        if (set.Set?.DataType is { } dt && dt != 0xffffff00 && T.FromId((int)dt) is { } dtype)
                        {
                            map.Type = dtype;
                            map.Order = set.Set.DataByteOrder == 2 ? ByteOrder.BigEndian : dtype.ByteOrder;
                        }
                        Set(dreg, map);
                    }
                    return true;
                }
                Statements.Add(new MatchS { Left = key, Op = invert ? RelOp.Neq : RelOp.Eq, Right = set });
                return true;
            }
            case InnerExpression inner:
                return ParseInner(inner);
            case XtablesExpression x:
                XtStatementParser.Parse(Statements, x, _family);
                return true;
            default:
                return StatementParser.Parse(this, e);
        }
    }

    /// <summary>netlink_parse_inner: the load inside names a field of the packet carried by the tunnel; the register
    /// then holds that field tagged with its tunnel, and the postprocessor reads it in the inner packet's context.</summary>
    private bool ParseInner(InnerExpression inner)
    {
        var tunnel = Tunnels.FromType((uint)inner.Type);
        if (tunnel is null || tunnel.HeaderSize != inner.HeaderSize || tunnel.Flags != (uint)inner.Flags) return false;
        switch (inner.Body)
        {
            case PayloadExpression p when !p.IsSet:
            {
                var x = new PayloadX
                {
                    Base = (ProtoBase)((int)p.Base + 1), OffsetBits = (int)p.Offset * 8, LenBits = (int)p.Length * 8,
                    Type = T.HexInteger, Order = ByteOrder.BigEndian, Tunnel = tunnel,
                };
                if (x.Base == ProtoBase.Tunnel)
                {
                    // the tunnel's own header (`vxlan vni`): its fields are known without any context
                    if (tunnel.Header is not { } h) return false;
                    var f = h.Fields.FirstOrDefault(f => f is not null && f.OffsetBits == x.OffsetBits && f.LengthBits == x.LenBits);
                    if (f is not null)
                    {
                        x.Desc = h;
                        x.Field = f;
                        x.Type = f.Type;
                        x.Order = f.ByteOrder;
                    }
                }
                Set(p.DestinationRegister!.Value, x);
                return true;
            }
            case MetaExpression m when !m.IsSet:
            {
                var key = MetaKeys.FromKey((int)m.Key);
                if (key is null) return false;
                Set(m.DestinationRegister!.Value, new MetaX { Key = key, Type = key.Type, Order = key.ByteOrder, LenBits = key.LengthBits, Tunnel = tunnel });
                return true;
            }
            default:
                return false;
        }
    }

    internal SExpr? Reg(uint reg) => Get(reg);
    internal SExpr? RegSpan(uint reg, int len) => GetSpan(reg, len);
    internal void SetReg(uint reg, SExpr e) => Set(reg, e);
    internal NftFamily Family => _family;
    internal SetRefX MakeSetRef(string name) => SetRef(name);
}
