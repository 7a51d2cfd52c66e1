using System.Numerics;
using System.Globalization;
using System.Text;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Printing;

/// <summary>Prints the delinearized syntax tree as nft 1.0.6 does (expr_print / stmt_print).</summary>
internal sealed class ExprPrinter
{
    private readonly NftRuleset? _ruleset;
    private readonly PrintOptions _options;

    public ExprPrinter(NftRuleset? ruleset, PrintOptions options)
    {
        _ruleset = ruleset;
        _options = options;
    }

    public bool Stateless => _options.Stateless;

    /// <summary>A printer for statements nft always prints stateless (those inside `add @set { … }`).</summary>
    public ExprPrinter AsStateless() => _options.Stateless ? this : new ExprPrinter(_ruleset, _options with { Stateless = true });
    public PrintOptions Options => _options;

    private static readonly string[] BaseTokens = { "invalid", "ll", "nh", "th", "ih" };

    public string Print(SExpr e) => e switch
    {
        PayloadX { Tunnel: { } t } p when p.Field is not null && p.Desc != t.Header => t.Name + " " + p.Desc!.Name + " " + p.Field.Name,
        PayloadX p when p.Field is not null => p.Desc!.Name + " " + p.Field.Name,
        PayloadX p => $"@{BaseTokens[(int)p.Base]},{p.OffsetBits},{p.LenBits}",
        MetaX { Tunnel: { } t } m => t.Name + " " + m.Key.Text,
        MetaX m => m.Key.Text,
        CtX c => CtText(c),
        ExthdrX x => ExthdrText(x),
        RtX or SocketX or OsfX or FibX or NumgenX or HashX or XfrmX => LoadText.Of(e, this),
        ValueX v => PrintValue(v),
        WildcardX w => PrintWildcard(w),
        BinopX b => PrintBinop(b),
        PrefixX p => Print(p.Inner) + "/" + p.PrefixLength.ToString(CultureInfo.InvariantCulture),
        RangeX r => PrintRange(r),
        ConcatX c => string.Join(" . ", c.Items.Select(Print)),
        FlagListX f => string.Join(",", f.Items.Select(Print)),
        SetRefX s => PrintSetRef(s),
        MapX m => Print(m.Key) + (m.Verdict ? " vmap " : " map ") + PrintSetRef(m.Set),
        VerdictX v => v.Text,
        UnaryX u => Print(u.Inner),
        ElementKeyX k => Print(k.Key),
        UnknownX u => u.Text,
        _ => "?",
    };

    private string PrintValue(ValueX v)
    {
        // A constant nothing gave a type keeps nft's invalid_type: its register bytes as one big-endian number.
        if (!v.Typed)
        {
            var be = new BigInteger(v.HostBytes(), isUnsigned: true, isBigEndian: true);
            return "0x" + be.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(1, '0') + " [invalid type]";
        }
        return ValueFormatter.Format(v.ToConstant(), _options);
    }

    private string PrintRange(RangeX r)
    {
        var numeric = new ExprPrinter(_ruleset, _options with { NumericAll = true });
        return numeric.Print(r.From) + "-" + numeric.Print(r.To);
    }

    private static string PrintWildcard(WildcardX w)
    {
        byte[] data = w.Inner.HostBytes();
        return "\"" + Encoding.UTF8.GetString(data) + "*\"";
    }

    private string PrintBinop(BinopX b)
    {
        string op = b.Op switch
        {
            BinopKind.And => "&", BinopKind.Or => "|", BinopKind.Xor => "^", BinopKind.LeftShift => "<<", _ => ">>",
        };
        string left = Print(b.Left);
        if (b.Left is BinopX lb && Precedence(b.Op) < Precedence(lb.Op)) left = "(" + left + ")";
        string right = b.Right is ValueX rv && b.Op is BinopKind.LeftShift or BinopKind.RightShift
            ? rv.Value.ToString(CultureInfo.InvariantCulture)
            : b.Right is ValueX bv && bv.Type.IsBitmask ? ValueFormatter.FormatPlain(bv.ToConstant(), _options) : Print(b.Right);
        if (b.Right is BinopX rb ? Precedence(b.Op) < Precedence(rb.Op) : right.Contains(" | ", StringComparison.Ordinal) && Precedence(b.Op) < Precedence(BinopKind.Or))
            right = "(" + right + ")";
        return $"{left} {op} {right}";
    }

    /// <summary>expr_binop_precedence: an argument binding less tightly than its operator is parenthesized.</summary>
    private static int Precedence(BinopKind op) => op switch
    {
        BinopKind.LeftShift or BinopKind.RightShift => 1,
        BinopKind.And => 2,
        BinopKind.Xor => 3,
        _ => 4,
    };

    private static string CtText(CtX c)
    {
        var sb = new StringBuilder("ct ");
        if (c.Direction >= 0)
        {
            if (CtKeys.DirectionName(c.Direction) is { } d) sb.Append(d).Append(' ');
            if (c.Key.Key is 8 or 9)
            {
                if (c.NfProto == 2) sb.Append("ip ");
                else if (c.NfProto == 10) sb.Append("ip6 ");
            }
        }
        sb.Append(c.Key.Token);
        return sb.ToString();
    }

    private static string ExthdrText(ExthdrX x)
    {
        string name = x.Desc?.Name ?? "unknown-exthdr";
        switch (x.Op)
        {
            case ExthdrOp.TcpOption:
            {
                if (x.Desc is null)
                {
                    if (x.OffsetBits == 0 && x.Present) return "tcp option " + x.RawType;
                    return $"tcp option @{x.RawType},{x.OffsetBits},{x.LenBits}";
                }
                var sb = new StringBuilder("tcp option ").Append(name);
                if (x.Present) return sb.ToString();
                if (x.Field is null) return $"tcp option @{x.RawType},{x.OffsetBits},{x.LenBits}";
                int idx = x.OffsetBits / 64;
                if (x.Desc.Type == 5 && x.Field.Index >= 2 && x.OffsetBits >= 16) { }
                if (idx != 0) sb.Append(idx);
                sb.Append(' ').Append(x.Field.Name);
                return sb.ToString();
            }
            case ExthdrOp.Ipv4Option:
                return "ip option " + name + (x.Present ? "" : " " + (x.Field?.Name ?? "unknown"));
            case ExthdrOp.SctpChunk:
                return "sctp chunk " + name + (x.Present ? "" : " " + (x.Field?.Name ?? "unknown"));
            default:
                if (x.Present) return "exthdr " + name;
                return name + " " + (x.Field?.Name ?? "unknown");
        }
    }

    private string PrintSetRef(SetRefX s)
    {
        if (!s.Anonymous) return "@" + s.Name;
        if (s.Set is null) return "@" + s.Name;
        var items = SetElementPrinter.FormatWithKeyType(s.Set, _ruleset, _options, s.KeyParts, s.Shift);
        return "{ " + string.Join(", ", items) + " }";
    }

    /// <summary>A verdict; a jump or goto to a binding chain prints that chain's rules inline (chain_stmt_print).</summary>
    public string PrintVerdict(NftVerdict v, NftFamily family, string table)
    {
        if (v.Code is not (VerdictCode.Jump or VerdictCode.Goto) || v.Chain is not { } name || _ruleset is null) return v.ToString();
        var chain = _ruleset.FindChain(family, table, name);
        if (chain is null || !chain.IsBinding) return v.ToString();
        var sb = new StringBuilder(v.Code == VerdictCode.Jump ? "jump" : "goto").Append(" {\n");
        foreach (var rule in _ruleset.Rules)
        {
            if (rule.Family != family || rule.Table != table || rule.Chain != name) continue;
            sb.Append("\t\t\t").Append(RuleTextPrinter.Describe(rule, _ruleset, _options).Text);
            if (rule.Comment is not null) sb.Append(" comment \"").Append(rule.Comment).Append('"');
            sb.Append('\n');
        }
        return sb.Append("\t\t}").ToString();
    }

    /// <summary>The value of `ct event set` / `meta mark set`: flags as a comma list.</summary>
    public string PrintSetValue(SExpr e) =>
        e is ValueX v && v.Type.IsBitmask && v.Type.Symbols is not null ? ValueFormatter.FormatFlagList(v.ToConstant(), _options) : Print(e);

    public string PrintStatement(SStmt s)
    {
        switch (s)
        {
            case MatchS m:
                return PrintMatch(m);
            case PayloadSetS ps:
                return Print(ps.Target) + " set " + Print(ps.Value);
            case VmapS v:
                return Print(v.Map);
            case RejectS r:
                return PrintReject(r);
            case VerdictS v:
                return PrintVerdict(v.Verdict, v.Family, v.Table);
            case CounterS c:
                return StatementText.Counter(c, Stateless);
            case LastS l:
                return StatementText.Last(l.Used, l.Milliseconds, Stateless);
            case LogS l:
                return StatementText.Log(l);
            case LimitS l:
                return StatementText.Limit(l);
            case QuotaS q:
                return StatementText.Quota(q, Stateless);
            case ConnlimitS c:
                return StatementText.Connlimit(c);
            case NotrackS:
                return "notrack";
            case FlowOffloadS f:
                return "flow add @" + f.Flowtable;
            case NatS n:
                return StatementText.Nat(n, this);
            case TproxyS tp:
                return StatementText.Tproxy(tp, this);
            case DupS d:
                return StatementText.Dup(d, this);
            case FwdS f:
                return StatementText.Fwd(f, this);
            case QueueS q:
                return StatementText.Queue(q);
            case SynproxyS sp:
                return StatementText.Synproxy(sp);
            case ObjrefS o:
                return StatementText.Objref(o, this);
            case DynsetS d:
                return StatementText.Dynset(d, this);
            case MetaSetS m:
                return StatementText.MetaSet(m, this);
            case CtSetS c:
                return StatementText.CtSet(c, this);
            case ExthdrSetS x:
                return Print(x.Target) + " set " + Print(x.Value);
            case ExthdrResetS x:
                return "reset " + Print(x.Option);
            case UnknownS u:
                return "unknown " + u.Expression.ToDebugString();
            case XtS x:
                if (x.IsTarget && _ruleset is not null && XtText.IsNatTarget(x.Expression.ExtensionName)
                    && XtText.NatFamily(_ruleset) is { } natFamily && natFamily != x.Family)
                    return "";
                return XtText.Print(x);
            default:
                return "?";
        }
    }

    private string PrintMatch(MatchS m) => PrintMatch(m, out _);

    /// <summary>The match's text, and the text of its left side on the way (what Parts shows as the field).</summary>
    internal string PrintMatch(MatchS m, out string left)
    {
        left = Print(m.Left);
        if (m.Mask is not null)
        {
            string val = PrintFlags(m.Right);
            string mask = PrintFlags(m.Mask);
            return m.Op == RelOp.Neq ? $"{left} != {val} / {mask}" : $"{left} {val} / {mask}";
        }
        string right = m.Op is RelOp.Implicit or RelOp.Neg ? PrintFlags(m.Right) : Print(m.Right);
        string op = m.Op switch
        {
            RelOp.Eq => MustPrintEq(m) ? " == " : " ",
            RelOp.Neq => " != ",
            RelOp.Lt => " < ",
            RelOp.Lte => " <= ",
            RelOp.Gt => " > ",
            RelOp.Gte => " >= ",
            RelOp.Neg => " ! ",
            _ => " ",
        };
        return left + op + right;
    }

    private static bool MustPrintEq(MatchS m) =>
        m.Left is BinopX || (m.Right is ValueX v && v.Type.BaseType == T.Bitmask);

    private string PrintFlags(SExpr e)
    {
        if (e is ValueX v && v.Type.IsBitmask) return ValueFormatter.FormatFlagList(v.ToConstant(), _options);
        return Print(e);
    }

    private string PrintReject(RejectS r)
    {
        byte code = r.Code;
        switch (r.Type)
        {
            case RejectType.TcpReset:
                return "reject with tcp reset";
            case RejectType.IcmpxUnreachable:
                if (code == 1) return "reject";
                return "reject with icmpx " + CodeName(T.IcmpxCode, code);
            default:
                if (r.NfProto == 0) return "reject";
                if (r.NfProto == 10)
                    return code == 4 && !r.Verbose ? "reject" : "reject with icmpv6 " + CodeName(T.Icmpv6Code, code);
                return code == 3 && !r.Verbose ? "reject" : "reject with icmp " + CodeName(T.IcmpCode, code);
        }
    }

    private string CodeName(DataType t, byte code) => ValueFormatter.Format(new Constant(t, ByteOrder.BigEndian, 8, code), _options);
}
