using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Delinearize;

/// <summary>The loads other than payload, meta, ct and exthdr (rt, socket, osf, fib, numgen, hash, xfrm): each puts its
/// typed load (Model/Loads) in the destination register with the type, byte order and length nft gives its key.</summary>
internal static class LoadParser
{
    public static bool Parse(RuleParser ctx, Expression e)
    {
        switch (e)
        {
            case RtExpression rt:
            {
                var t = OtherKeys.Rt.ElementAtOrDefault((int)rt.Key);
                if (t is null) return false;
                ctx.SetReg(rt.DestinationRegister, new RtX { Key = rt.Key, Token = t.Token, Type = t.Type, Order = t.ByteOrder, LenBits = t.LengthBits });
                return true;
            }
            case SocketExpression so:
            {
                var t = OtherKeys.Socket.ElementAtOrDefault((int)so.Key);
                if (t is null) return false;
                ctx.SetReg(so.DestinationRegister, new SocketX
                {
                    Key = so.Key, Token = t.Token, Level = so.Key == SocketKey.CgroupV2 ? so.Level : null,
                    Type = t.Type, Order = t.ByteOrder, LenBits = Math.Max(t.LengthBits, 8),
                });
                return true;
            }
            case OsfExpression os:
                ctx.SetReg(os.DestinationRegister, new OsfX
                {
                    Ttl = os.Ttl is 1 or 2 ? os.Ttl.Value : (byte)0, Version = os.Flags is { } fl && (fl & OsfFlags.Version) != 0,
                    Type = T.String, Order = ByteOrder.Host, LenBits = 16 * 8,
                });
                return true;
            case FibExpression fib:
            {
                var res = OtherKeys.FibResult.ElementAtOrDefault((int)fib.Result);
                bool present = ((uint)fib.Flags & OtherKeys.FibFlagPresent) != 0;
                ctx.SetReg(fib.DestinationRegister, new FibX
                {
                    Result = fib.Result, ResultToken = res?.Token ?? "unknown",
                    Flags = (uint)fib.Flags & ~OtherKeys.FibFlagPresent, Present = present,
                    Type = present ? T.Boolean : res?.Type ?? T.Integer, Order = res?.ByteOrder ?? ByteOrder.Host, LenBits = res?.LengthBits ?? 32,
                });
                return true;
            }
            case NumgenExpression ng:
                ctx.SetReg(ng.DestinationRegister, new NumgenX
                {
                    Mode = ng.Type, Modulus = ng.Modulus, Offset = ng.Offset ?? 0, Type = T.Integer, Order = ByteOrder.Host, LenBits = 32,
                });
                return true;
            case HashExpression h:
            {
                bool symmetric = h.EffectiveType == HashType.Symmetric;
                ctx.SetReg(h.DestinationRegister, new HashX
                {
                    Symmetric = symmetric,
                    Inner = !symmetric && h.SourceRegister is { } sr ? ctx.RegSpan(sr, (int)(h.Length ?? 4)) : null,
                    Modulus = h.Modulus, Seed = symmetric ? null : h.Seed, Offset = h.Offset ?? 0,
                    Type = T.Integer, Order = ByteOrder.Host, LenBits = 32,
                });
                return true;
            }
            case XfrmExpression xf:
            {
                var t = OtherKeys.Xfrm.ElementAtOrDefault((int)xf.Key);
                if (t is null) return false;
                ctx.SetReg(xf.DestinationRegister, new XfrmX
                {
                    Key = xf.Key, Token = t.Token, Direction = xf.Direction, SpNum = xf.SpNum,
                    Type = t.Type, Order = t.ByteOrder, LenBits = t.LengthBits,
                });
                return true;
            }
            default:
                return false;
        }
    }
}
