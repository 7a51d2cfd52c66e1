using NftPS.NfTables.Expressions;

namespace NftPS.Tests.Compiler;

/// <summary>Test-side libnftnl text for the kinds whose ToDebugString (branch `expr`) is still a placeholder, so the
/// conformance rate measures the compiler rather than the formatter. Every other kind uses ToDebugString.</summary>
internal static class PayloadText
{
    private static string Hex(byte[]? b) => b is null ? "" : "0x" + Convert.ToHexString(b).ToLowerInvariant();

    private static string Base(PayloadBase b) => b switch
    {
        PayloadBase.LinkLayer => "link", PayloadBase.Network => "network", PayloadBase.Transport => "transport", _ => "inner",
    };

    public static string Format(Expression e) => e switch
    {
        PayloadExpression { IsSet: false } p => $"[ payload load {p.Length}b @ {Base(p.Base)} header + {p.Offset} => reg {p.DestinationRegister} ]",
        PayloadExpression p => $"[ payload write reg {p.SourceRegister} => {p.Length}b @ {Base(p.Base)} header + {p.Offset} csum_type {(uint)(p.ChecksumType ?? 0)} csum_off {p.ChecksumOffset ?? 0} csum_flags 0x{(uint)(p.ChecksumFlags ?? 0):x} ]",
        BitwiseExpression { Operator: null or BitwiseOperator.MaskXor } b =>
            $"[ bitwise reg {b.DestinationRegister} = ( reg {b.SourceRegister} & {Hex(b.Mask)} ) ^ {Hex(b.Xor)} ]",
        BitwiseExpression b => $"[ bitwise reg {b.DestinationRegister} = ( reg {b.SourceRegister} {(b.Operator == BitwiseOperator.LeftShift ? "<<" : ">>")} {Hex(b.Data)} ) ]",
        LookupExpression l => $"[ lookup reg {l.SourceRegister} set {l.SetName}{(l.DestinationRegister is uint d ? $" dreg {d}" : "")}{(l.Flags == LookupFlags.Invert ? " 0x1" : "")} ]",
        _ => e.ToDebugString(),
    };
}
