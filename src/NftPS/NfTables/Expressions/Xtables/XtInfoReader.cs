using System.Buffers.Binary;
using System.Text;

namespace NftPS.NfTables.Expressions.Xtables;

/// <summary>Reads fields of an xt_*_info struct: the structs are in host byte order (ports and addresses inside them
/// in network order), at fixed offsets; a field past the end of a short blob reads as missing.</summary>
internal readonly ref struct XtInfoReader
{
    private readonly ReadOnlySpan<byte> _b;
    public XtInfoReader(ReadOnlySpan<byte> bytes) => _b = bytes;

    public int Length => _b.Length;

    public bool Has(int offset, int size) => offset >= 0 && offset + size <= _b.Length;

    public byte U8(int o) => Has(o, 1) ? _b[o] : throw Short(o);

    public ushort U16(int o) => Has(o, 2)
        ? (BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(_b[o..]) : BinaryPrimitives.ReadUInt16BigEndian(_b[o..]))
        : throw Short(o);

    public uint U32(int o) => Has(o, 4)
        ? (BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(_b[o..]) : BinaryPrimitives.ReadUInt32BigEndian(_b[o..]))
        : throw Short(o);

    public ushort Be16(int o) => Has(o, 2) ? BinaryPrimitives.ReadUInt16BigEndian(_b[o..]) : throw Short(o);

    public byte[] Bytes(int o, int n) => Has(o, n) ? _b.Slice(o, n).ToArray() : throw Short(o);

    /// <summary>A NUL-terminated char[n] field.</summary>
    public string CString(int o, int n)
    {
        if (!Has(o, n)) throw Short(o);
        var s = _b.Slice(o, n);
        int end = s.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? s : s[..end]);
    }

    private static XtInfoFormatException Short(int o) => new($"the info blob ends before offset {o}");
}

/// <summary>An info blob shorter than its extension's struct: the expression stays raw (printed `xt match NAME`).</summary>
public sealed class XtInfoFormatException(string message) : Exception(message);
