using System.Buffers.Binary;
using System.Text;

namespace NftPS.Tests.Expressions;

/// <summary>Byte comparison of attribute runs that ignores NLA_F_NESTED (0x8000 in the type).
/// Why: the kernel never sets the flag in dumps, while our writer (like nft) sets it on every nest, so a
/// decode→encode of kernel bytes differs exactly there. Nesting is detected from whichever side carries the
/// flag, and the payloads of nests are compared recursively; everything else must match byte for byte
/// (lengths, padding, order, values).</summary>
public static class NetlinkBytes
{
    private const ushort Nested = 0x8000, ByteOrder = 0x4000;

    public static bool EqualIgnoringNestedFlag(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Compare(a, b, "") is null;

    /// <summary>Null when equal, otherwise a description of the first difference.</summary>
    public static string? Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, string path = "")
    {
        int i = 0;
        while (true)
        {
            bool endA = a.Length - i < 4, endB = b.Length - i < 4;
            if (endA || endB)
            {
                if (a.Length - i == 0 && b.Length - i == 0) return null;
                if (a[i..].SequenceEqual(b[i..])) return null;
                return $"{path}: trailing bytes differ at offset {i} ({Hex(a[i..])} vs {Hex(b[i..])})";
            }
            ushort lenA = BinaryPrimitives.ReadUInt16LittleEndian(a[i..]), lenB = BinaryPrimitives.ReadUInt16LittleEndian(b[i..]);
            ushort typeA = BinaryPrimitives.ReadUInt16LittleEndian(a[(i + 2)..]), typeB = BinaryPrimitives.ReadUInt16LittleEndian(b[(i + 2)..]);
            if (lenA != lenB || (typeA & ~Nested) != (typeB & ~Nested))
                return $"{path}: attribute at offset {i}: len {lenA} type {typeA & ~Nested} vs len {lenB} type {typeB & ~Nested}";
            if (lenA < 4 || i + lenA > a.Length || i + lenB > b.Length) return $"{path}: malformed attribute at offset {i}";
            var pa = a.Slice(i + 4, lenA - 4);
            var pb = b.Slice(i + 4, lenB - 4);
            string here = $"{path}/{typeA & ~(Nested | ByteOrder)}";
            if (((typeA | typeB) & Nested) != 0)
            {
                string? inner = Compare(pa, pb, here);
                if (inner is not null) return inner;
            }
            else if (!pa.SequenceEqual(pb))
                return $"{here}: payload {Hex(pa)} vs {Hex(pb)}";
            int next = i + ((lenA + 3) & ~3);
            int padEnd = Math.Min(next, Math.Min(a.Length, b.Length));
            if (!a[(i + lenA)..padEnd].SequenceEqual(b[(i + lenA)..padEnd])) return $"{here}: padding differs";
            i = Math.Min(next, Math.Max(a.Length, b.Length));
            if (i > a.Length || i > b.Length) return $"{path}: lengths differ ({a.Length} vs {b.Length})";
        }
    }

    /// <summary>Copy with NLA_F_NESTED cleared everywhere it is set (as the kernel would have written it).</summary>
    public static byte[] ClearNestedFlags(ReadOnlySpan<byte> data)
    {
        byte[] copy = data.ToArray();
        Clear(copy, 0, copy.Length);
        return copy;
    }

    private static void Clear(byte[] buf, int start, int end)
    {
        int i = start;
        while (end - i >= 4)
        {
            ushort len = BinaryPrimitives.ReadUInt16LittleEndian(buf.AsSpan(i));
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(buf.AsSpan(i + 2));
            if (len < 4 || i + len > end) return;
            if ((type & Nested) != 0)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(buf.AsSpan(i + 2), (ushort)(type & ~Nested));
                Clear(buf, i + 4, i + len);
            }
            i += (len + 3) & ~3;
        }
    }

    public static string Hex(ReadOnlySpan<byte> b)
    {
        var sb = new StringBuilder(b.Length * 3);
        foreach (byte x in b) sb.Append(x.ToString("x2")).Append(' ');
        return sb.ToString().TrimEnd();
    }

    /// <summary>Parses "06 00 01 00 ..." or "06000100..." (whitespace ignored).</summary>
    public static byte[] FromHex(string hex)
    {
        var clean = new StringBuilder();
        foreach (char c in hex) if (Uri.IsHexDigit(c)) clean.Append(c);
        return Convert.FromHexString(clean.ToString());
    }
}
