using NftPS.NfTables;
using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Delinearize;

/// <summary>Masks and shifts (relational_binop_postprocess, binop_adjust): a masked load becomes its field, a mask
/// becomes a prefix or flags, shifted set elements and values are shifted back.</summary>
internal sealed partial class Postprocessor
{
    private void RelationalBinop(MatchS m)
    {
        var binop = (BinopX)m.Left;
        var right = m.Right;
        if (binop.Op == BinopKind.And && (m.Op == RelOp.Eq || m.Op == RelOp.Neq) && right.Type.BaseType == T.Bitmask)
        {
            if (right is ValueX rv)
            {
                if (binop.Right is ValueX mv0 && mv0.Value == rv.Value && (rv.Value & (rv.Value - 1)).IsZero)
                {
                }
                else if (rv.Value.IsZero)
                {
                    m.Left = binop.Left;
                    m.Right = binop.Right;
                    m.Op = m.Op == RelOp.Neq ? RelOp.Implicit : RelOp.Neg;
                }
                else
                {
                    m.Left = binop.Left;
                    m.Mask = binop.Right;
                }
            }
            return;
        }
        if (binop.Left.Type.AllowsPrefix && binop.Op == BinopKind.And && right is ValueX && binop.Right is ValueX mask && IsPrefixMask(mask))
        {
            m.Left = binop.Left;
            m.Right = new PrefixX { Inner = right, PrefixLength = PrefixLen(mask), Type = right.Type };
            return;
        }
        if (binop.Op == BinopKind.And && binop.Right is ValueX mask2)
        {
            if (binop.Left is PayloadX p && PayloadTrim(p, mask2, out int shift))
            {
                ShiftRight(m.Right, shift, p.LenBits);
                if (m.Right is SetRefX sr) { sr.Shift = shift; }
                m.Left = p;
                _out.Remove(m);
                PayloadMatch(m, p);
            }
            else if (binop.Left is ExthdrX x && ExthdrTrim(x, mask2, out int xshift))
            {
                ShiftRight(m.Right, xshift, x.LenBits);
                if (m.Right is SetRefX xsr) xsr.Shift = xshift;
                m.Left = x;
                SetType(m.Right, x.Type, ByteOrder.BigEndian);
            }
        }
    }

    private static void ShiftRight(SExpr e, int shift, int len)
    {
        switch (e)
        {
            case ValueX v: v.Value >>= shift; v.LenBits = len; break;
            case RangeX r: ShiftRight(r.From, shift, len); ShiftRight(r.To, shift, len); break;
        }
    }

    private static int Scan1(BigInteger v, int from = 0)
    {
        for (int i = from; i < 4096; i++) if (!((v >> i) & 1).IsZero) return i;
        return -1;
    }

    private static int Scan0(BigInteger v, int from)
    {
        for (int i = from; ; i++) if (((v >> i) & 1).IsZero) return i;
    }

    private static bool IsPrefixMask(ValueX mask)
    {
        int n1 = Scan1(mask.Value);
        if (n1 < 0) return true;
        int n2 = Scan0(mask.Value, n1 + 1);
        return n2 >= mask.LenBits;
    }

    private static int PrefixLen(ValueX mask)
    {
        int n = Scan1(mask.Value);
        if (n < 0) return 0;
        return Scan0(mask.Value, n + 1) - n;
    }

    /// <summary>payload_expr_trim.</summary>
    private bool PayloadTrim(PayloadX expr, ValueX mask, out int shift)
    {
        shift = 0;
        var desc = _proto[(int)expr.Base];
        if (desc is null) return false;
        int payloadOffset = expr.OffsetBits - _protoOffset[(int)expr.Base];
        int maskOffset = Math.Max(Scan1(mask.Value), 0);
        int maskLen = Scan0(mask.Value, maskOffset + 1);
        int payloadLen = expr.LenBits;
        int off = (mask.LenBits + 7) / 8 * 8 - maskLen;
        payloadOffset += off;
        int len = 0;
        for (int i = 1; i < desc.Fields.Count; i++)
        {
            var f = desc.Fields[i];
            if (f is null || f.OffsetBits != payloadOffset) continue;
            if (f.LengthBits > payloadLen) return false;
            payloadLen -= f.LengthBits;
            payloadOffset += f.LengthBits;
            len += f.LengthBits;
            if (payloadLen == 0) return false;
            if (maskOffset + len == maskLen)
            {
                expr.OffsetBits += off;
                expr.LenBits = len;
                shift = maskOffset;
                return true;
            }
        }
        return false;
    }

    private static bool ExthdrTrim(ExthdrX x, ValueX mask, out int shift)
    {
        shift = 0;
        if (x.Desc is null) return false;
        int maskOffset = Math.Max(Scan1(mask.Value), 0);
        int maskLen = Scan0(mask.Value, maskOffset + 1);
        int off = x.OffsetBits + (mask.LenBits + 7) / 8 * 8 - maskLen;
        var f = x.Desc.FieldAt(off, maskLen - maskOffset);
        if (f is null) return false;
        x.OffsetBits = off;
        x.LenBits = f.LengthBits;
        x.Field = f;
        x.Type = f.Type;
        shift = maskOffset;
        return true;
    }
}
