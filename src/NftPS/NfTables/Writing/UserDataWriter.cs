using System.Buffers.Binary;
using System.Text;

namespace NftPS.NfTables.Writing;

/// <summary>libnftnl's user-data TLVs ({u8 type, u8 len, value}, no padding, u32 in host order), which nft reads
/// back to print comments and set types. Comments of tables, chains, rules, objects and elements are type 0.</summary>
public sealed class UserDataWriter
{
    private readonly List<byte> _bytes = new();

    public UserDataWriter U32(byte type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, value);
        return Raw(type, v);
    }

    /// <summary>A NUL-terminated string; libnftnl keeps comments under 256 bytes including the NUL.</summary>
    public UserDataWriter String(byte type, string value)
    {
        byte[] s = Encoding.UTF8.GetBytes(value + "\0");
        if (s.Length > 255) throw new ArgumentException($"Comment is too long ({s.Length - 1} bytes; at most 254).", nameof(value));
        return Raw(type, s);
    }

    public UserDataWriter Raw(byte type, ReadOnlySpan<byte> value)
    {
        if (value.Length > 255) throw new ArgumentException("A user-data value holds at most 255 bytes.", nameof(value));
        _bytes.Add(type);
        _bytes.Add((byte)value.Length);
        foreach (byte b in value) _bytes.Add(b);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    public static byte[]? Comment(string? comment) => string.IsNullOrEmpty(comment) ? null : new UserDataWriter().String(0, comment).ToArray();
}
