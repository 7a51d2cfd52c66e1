using System.Text;

namespace NftPS.NfTables.Expressions;

/// <summary>libnftnl's text form of expressions (the newer format of the conformance .payload files).</summary>
internal static class DebugFormat
{
    public static string Data(byte[] data) => ExpressionAttributes.Hex(data);

    public static string CmpOp(CmpOperator op) => op switch
    {
        CmpOperator.Eq => "eq", CmpOperator.Neq => "neq", CmpOperator.Lt => "lt",
        CmpOperator.Lte => "lte", CmpOperator.Gt => "gt", CmpOperator.Gte => "gte", _ => "unknown",
    };

    public static string MetaKeyName(MetaKey k) => k.ToString().ToLowerInvariant();
    public static string RtKeyName(RtKey k) => k.ToString().ToLowerInvariant();
    public static string Bitwise(BitwiseExpression e) => $"[ bitwise reg {e.DestinationRegister} = ( reg {e.SourceRegister} ) ]";
    public static string Payload(PayloadExpression e) => $"[ payload load {e.Length}b @ {(uint)e.Base} + {e.Offset} => reg {e.DestinationRegister} ]";
    public static string Exthdr(ExthdrExpression e) => $"[ exthdr load {e.Length}b @ {e.Type} + {e.Offset} => reg {e.DestinationRegister} ]";
    public static string Ct(CtExpression e) => $"[ ct load {e.Key} => reg {e.DestinationRegister} ]";
    public static string Fib(FibExpression e) => $"[ fib {e.Result} => reg {e.DestinationRegister} ]";
    public static string Lookup(LookupExpression e) => $"[ lookup reg {e.SourceRegister} set {e.SetName} ]";
    public static string Dynset(DynsetExpression e) => $"[ dynset {e.Operation} reg_key {e.SourceKeyRegister} set {e.SetName} ]";
    public static string Log(LogExpression e) => "[ log ]";
    public static string Limit(LimitExpression e) => $"[ limit rate {e.Rate}/{e.Unit} ]";
    public static string Nat(NatExpression e) => $"[ nat {e.Type} ]";
    public static string MasqRedir(string name, NatRangeFlags? flags, uint? min, uint? max) => $"[ {name} ]";
    public static string Tproxy(TproxyExpression e) => "[ tproxy ]";
    public static string Socket(SocketExpression e) => $"[ socket load {e.Key} => reg {e.DestinationRegister} ]";
    public static string Osf(OsfExpression e) => $"[ osf dreg {e.DestinationRegister} ]";
    public static string Hash(HashExpression e) => $"[ hash reg {e.DestinationRegister} ]";
    public static string Numgen(NumgenExpression e) => $"[ numgen reg {e.DestinationRegister} ]";
    public static string Queue(QueueExpression e) => "[ queue ]";
    public static string Dup(DupExpression e) => "[ dup ]";
    public static string Fwd(FwdExpression e) => "[ fwd ]";
    public static string Xfrm(XfrmExpression e) => $"[ xfrm load {e.Key} => reg {e.DestinationRegister} ]";
    public static string Inner(InnerExpression e) => "[ inner ]";
}
