using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NftPS.Netlink;

/// <summary>
/// Builds netlink messages and their attributes into one growable buffer. Lengths of messages and of
/// nested attributes are back-filled when they end, so callers never compute sizes up front.
/// Integers follow nf_tables: attribute values are big-endian unless a method says "Host".
/// </summary>
public sealed class NetlinkWriter
{
    private byte[] _buffer;
    private int _length;

    public NetlinkWriter(int initialCapacity = 4096) => _buffer = new byte[Math.Max(initialCapacity, 64)];

    public int Length => _length;
    public int Capacity => _buffer.Length;
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);
    public byte[] ToArray() => WrittenSpan.ToArray();
    public void Reset() => _length = 0;

    /// <summary>Writes nlmsghdr and nfgenmsg; returns the token that <see cref="EndMessage"/> needs.</summary>
    public int BeginMessage(ushort type, ushort flags, uint sequence, byte family, ushort resourceId = 0)
    {
        Align();
        int start = _length;
        Span<byte> header = Grow(NetlinkConstants.HeaderLength + NetlinkConstants.NfGenMsgLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        header[16] = family;
        header[17] = 0; // NFNETLINK_V0
        BinaryPrimitives.WriteUInt16BigEndian(header[18..], resourceId);
        return start;
    }

    public void EndMessage(int token)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(token), (uint)(_length - token));
        Align();
    }

    /// <summary>Starts a nested attribute (NLA_F_NESTED is set, as nft does); close it with <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        Align();
        int start = _length;
        Span<byte> h = Grow(4);
        BinaryPrimitives.WriteUInt16LittleEndian(h, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], (ushort)(type | NetlinkConstants.NlaFNested));
        return start;
    }

    public void EndNested(int token)
    {
        int length = _length - token;
        if (length > ushort.MaxValue) throw new NetlinkSizeException(length);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(token), (ushort)length);
        Align();
    }

    public void WriteU8(ushort type, byte value) => WriteAttribute(type, 1)[0] = value;
    public void WriteBe16(ushort type, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(WriteAttribute(type, 2), value);
    public void WriteBe32(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(WriteAttribute(type, 4), value);
    public void WriteBe32(ushort type, int value) => BinaryPrimitives.WriteInt32BigEndian(WriteAttribute(type, 4), value);
    public void WriteBe64(ushort type, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(WriteAttribute(type, 8), value);
    public void WriteHost32(ushort type, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(WriteAttribute(type, 4), value);
    public void WriteBytes(ushort type, ReadOnlySpan<byte> value) => value.CopyTo(WriteAttribute(type, value.Length));

    /// <summary>Writes a NUL-terminated string, as the kernel expects for names.</summary>
    public void WriteString(ushort type, string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        Span<byte> dest = WriteAttribute(type, byteCount + 1);
        Encoding.UTF8.GetBytes(value, dest);
        dest[byteCount] = 0;
    }

    /// <summary>Writes a string without the trailing NUL (nft does this for some names; kept for byte-exact re-encoding).</summary>
    public void WriteStringNoNul(ushort type, string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        Encoding.UTF8.GetBytes(value, WriteAttribute(type, byteCount));
    }

    /// <summary>Appends raw bytes (already framed attributes or messages).</summary>
    public void WriteRaw(ReadOnlySpan<byte> raw) => raw.CopyTo(Grow(raw.Length));

    /// <summary>Reserves an attribute with a payload of <paramref name="payloadLength"/> bytes and returns the payload.</summary>
    public Span<byte> WriteAttribute(ushort type, int payloadLength)
    {
        Align();
        int total = 4 + payloadLength;
        if (total > ushort.MaxValue) throw new NetlinkSizeException(total);
        Span<byte> span = Grow(total);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)total);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        Span<byte> payload = span[4..];
        payload.Clear();
        int pad = NetlinkConstants.Align(total) - total;
        if (pad > 0) Grow(pad).Clear();
        return payload;
    }

    private void Align()
    {
        int aligned = NetlinkConstants.Align(_length);
        if (aligned != _length) Grow(aligned - _length).Clear();
    }

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            int size = Math.Max(_buffer.Length * 2, _length + count);
            Array.Resize(ref _buffer, size);
        }
        Span<byte> span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
