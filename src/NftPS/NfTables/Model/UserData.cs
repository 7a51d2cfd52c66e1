using System.Buffers.Binary;
using System.Text;

namespace NftPS.NfTables.Model;

/// <summary>libnftnl's user-data format: a run of {u8 type, u8 len, value[len]} with no padding; a nest is a
/// TLV whose value is more TLVs; u32 values in host order; strings carry their NUL. The kernel stores it blind,
/// but nft needs it to print comments, typeof and byte orders.</summary>
public static class UserData
{
    /// <summary>NFTA_{TABLE,CHAIN,RULE,OBJ,SET_ELEM}_USERDATA comment type.</summary>
    public const byte Comment = 0;

    /// <summary>Set user data types (NFTNL_UDATA_SET_*).</summary>
    public const byte SetKeyByteOrder = 0, SetDataByteOrder = 1, SetMergeElements = 2, SetKeyTypeof = 3,
        SetDataTypeof = 4, SetExpr = 5, SetDataInterval = 6, SetComment = 7;

    /// <summary>The value of the first TLV of <paramref name="type"/> at the top level, or false.</summary>
    public static bool TryGet(ReadOnlySpan<byte> data, byte type, out ReadOnlySpan<byte> value)
    {
        var reader = new UserDataReader(data);
        while (reader.TryRead(out byte t, out var v))
        {
            if (t == type) { value = v; return true; }
        }
        value = default;
        return false;
    }

    /// <summary>A string TLV (up to its NUL), or null when absent.</summary>
    public static string? GetString(ReadOnlySpan<byte> data, byte type) =>
        TryGet(data, type, out var v) ? DecodeString(v) : null;

    /// <summary>A host-order u32 TLV, or null when absent or not 4 bytes long.</summary>
    public static uint? GetU32(ReadOnlySpan<byte> data, byte type) =>
        TryGet(data, type, out var v) && v.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(v) : null;

    /// <summary>The comment (type 0) of table, chain, rule, object and element user data.</summary>
    public static string? GetComment(ReadOnlySpan<byte> data) => GetString(data, Comment);

    public static string DecodeString(ReadOnlySpan<byte> value)
    {
        int nul = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? value[..nul] : value);
    }

    /// <summary>User data holding just a comment, as nft writes it for tables, chains, rules, objects and elements.</summary>
    /// <summary>The user data of a comment, or null when there is none (nothing is sent then, as nft does).</summary>
    /// <summary>Every comment the writer sends passes here, so one nft cannot hold (over 128 bytes, NUL, quote,
    /// line break) is refused whichever way it came in.</summary>
    public static byte[]? ForComment(string? comment) =>
        string.IsNullOrEmpty(comment) ? null : FromComment(NftIdentifier.CheckComment(comment)!);

    /// <summary>Set element user data types (NFTNL_UDATA_SET_ELEM_*) and the open-interval flag bit.</summary>
    public const byte ElementFlags = 1;
    public const uint ElementIntervalOpen = 0x1;

    /// <summary>An element's user data as nft writes it: the comment, then the flags when the interval is open.</summary>
    public static byte[]? ForElement(string? comment, bool intervalOpen)
    {
        if (string.IsNullOrEmpty(comment) && !intervalOpen) return null;
        NftIdentifier.CheckComment(comment);
        var w = new UserDataWriter();
        if (!string.IsNullOrEmpty(comment)) w.WriteString(Comment, comment);
        if (intervalOpen) w.WriteU32(ElementFlags, ElementIntervalOpen);
        return w.ToArray();
    }

    public static byte[] FromComment(string comment)
    {
        var w = new UserDataWriter();
        w.WriteString(Comment, comment);
        return w.ToArray();
    }
}

/// <summary>Walks user-data TLVs. A TLV whose length runs past the end stops the walk (libnftnl treats such
/// data as invalid, and nft then prints as if it were absent).</summary>
public ref struct UserDataReader
{
    private ReadOnlySpan<byte> _remaining;

    public UserDataReader(ReadOnlySpan<byte> data) => _remaining = data;

    /// <summary>True when the data ended cleanly, false when a TLV was cut short.</summary>
    public bool IsWellFormed { get; private set; } = true;

    public bool TryRead(out byte type, out ReadOnlySpan<byte> value)
    {
        type = 0;
        value = default;
        if (_remaining.Length == 0) return false;
        if (_remaining.Length < 2 || 2 + _remaining[1] > _remaining.Length)
        {
            IsWellFormed = false;
            _remaining = default;
            return false;
        }
        type = _remaining[0];
        int length = _remaining[1];
        value = _remaining.Slice(2, length);
        _remaining = _remaining[(2 + length)..];
        return true;
    }
}

/// <summary>Builds user-data TLVs; nests back-fill their length when closed.</summary>
public sealed class UserDataWriter
{
    private readonly List<byte> _buffer = new();
    private readonly Stack<int> _nests = new();

    public int Length => _buffer.Count;

    public UserDataWriter WriteBytes(byte type, ReadOnlySpan<byte> value)
    {
        if (value.Length > 255) throw new ArgumentException($"A user-data value holds at most 255 bytes, not {value.Length}.", nameof(value));
        _buffer.Add(type);
        _buffer.Add((byte)value.Length);
        foreach (byte b in value) _buffer.Add(b);
        return this;
    }

    public UserDataWriter WriteU32(byte type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return WriteBytes(type, bytes);
    }

    /// <summary>Writes the string with its trailing NUL, as libnftnl does.</summary>
    public UserDataWriter WriteString(byte type, string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        var bytes = new byte[utf8.Length + 1];
        utf8.CopyTo(bytes, 0);
        return WriteBytes(type, bytes);
    }

    public UserDataWriter BeginNest(byte type)
    {
        _nests.Push(_buffer.Count);
        _buffer.Add(type);
        _buffer.Add(0);
        return this;
    }

    public UserDataWriter EndNest()
    {
        int start = _nests.Pop();
        int length = _buffer.Count - start - 2;
        if (length > 255) throw new InvalidOperationException($"A user-data nest holds at most 255 bytes, not {length}.");
        _buffer[start + 1] = (byte)length;
        return this;
    }

    public byte[] ToArray()
    {
        if (_nests.Count != 0) throw new InvalidOperationException("A user-data nest is still open.");
        if (_buffer.Count > 256) throw new InvalidOperationException($"The kernel keeps at most 256 bytes of user data, not {_buffer.Count}.");
        return _buffer.ToArray();
    }
}
