using System.Buffers.Binary;
using System.Text;

namespace NftPS.Netlink;

/// <summary>One attribute: its type (flags stripped) and payload. Kernel dumps never set NLA_F_NESTED,
/// so whether a payload is a nest is known from the schema, not from the flag.</summary>
public readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> payload)
    {
        RawType = rawType;
        Payload = payload;
    }

    public ushort RawType { get; }
    public ushort Type => (ushort)(RawType & NetlinkConstants.NlaTypeMask);
    public bool HasNestedFlag => (RawType & NetlinkConstants.NlaFNested) != 0;
    public ReadOnlySpan<byte> Payload { get; }

    public byte GetU8() => Payload.Length >= 1 ? Payload[0] : throw Malformed(1);
    public ushort GetBe16() => Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : throw Malformed(2);
    public uint GetBe32() => Payload.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Payload) : throw Malformed(4);
    public int GetBe32Signed() => (int)GetBe32();
    public ulong GetBe64() => Payload.Length >= 8 ? BinaryPrimitives.ReadUInt64BigEndian(Payload) : throw Malformed(8);
    public uint GetHost32() => Payload.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Payload) : throw Malformed(4);
    public byte[] GetBytes() => Payload.ToArray();

    /// <summary>Reads a string up to the first NUL (or the whole payload when none is sent).</summary>
    public string GetString()
    {
        int nul = Payload.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? Payload[..nul] : Payload);
    }

    /// <summary><see cref="GetString"/> for names a dump repeats in every message: one string per distinct value.</summary>
    internal string GetName()
    {
        int nul = Payload.IndexOf((byte)0);
        return Utf8StringCache.Get(nul >= 0 ? Payload[..nul] : Payload);
    }

    /// <summary>Whether the string payload carried its trailing NUL (kept to re-encode identical bytes).</summary>
    public bool StringHasNul => Payload.Length > 0 && Payload[^1] == 0;

    public NetlinkAttributeReader GetNested() => new(Payload);

    private InvalidDataException Malformed(int need) =>
        new($"Netlink attribute {Type} has {Payload.Length} bytes where {need} are needed.");
}

/// <summary>Walks a run of attributes. Unknown types are simply yielded; callers skip what they do not know.</summary>
public ref struct NetlinkAttributeReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkAttributeReader(ReadOnlySpan<byte> data) => _remaining = data;

    public bool TryRead(out NetlinkAttribute attribute)
    {
        if (_remaining.Length < 4)
        {
            attribute = default;
            return false;
        }
        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]);
        if (length < 4 || length > _remaining.Length)
            throw new InvalidDataException($"Malformed netlink attribute: length {length} with {_remaining.Length} bytes left.");
        attribute = new NetlinkAttribute(type, _remaining.Slice(4, length - 4));
        int advance = Math.Min(NetlinkConstants.Align(length), _remaining.Length);
        _remaining = _remaining[advance..];
        return true;
    }
}
