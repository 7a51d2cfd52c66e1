using System.Numerics;

namespace NftPS.Language.DataTypes;

/// <summary>How the bytes of a value are ordered (nftables' enum byteorder; also the set user-data value).</summary>
internal enum ByteOrder
{
    Invalid = 0,
    Host = 1,
    BigEndian = 2,
}

/// <summary>Output switches that change how nft prints values (nft -p, -S, -N, -u).</summary>
internal sealed record PrintOptions
{
    public static readonly PrintOptions Default = new();
    /// <summary>nft -p: `meta l4proto 6` rather than `tcp`.</summary>
    public bool NumericProtocol { get; init; }
    /// <summary>nft -S: port names from /etc/services.</summary>
    public bool ServiceNames { get; init; }
    /// <summary>nft -u: user and group names.</summary>
    public bool UserNames { get; init; }
    /// <summary>Every value as a number (nft prints range endpoints this way).</summary>
    public bool NumericAll { get; init; }
    /// <summary>nft -s: counters and quotas without their current values.</summary>
    public bool Stateless { get; init; }
}

/// <summary>One nftables data type (include/datatype.h): id, name, size, byte order, base type, and how its values
/// print and parse. Types are data: <see cref="DataTypeRegistry"/> holds them by id and name.</summary>
internal sealed class DataType
{
    internal DataType(int id, string name, string description, ByteOrder byteOrder, int sizeBits, DataType? baseType)
    {
        Id = id;
        Name = name;
        Description = description;
        ByteOrder = byteOrder;
        SizeBits = sizeBits;
        BaseType = baseType;
    }

    /// <summary>The nftables type id (TYPE_*), as stored in NFTA_SET_KEY_TYPE.</summary>
    public int Id { get; }
    public string Name { get; }
    public string Description { get; }
    public ByteOrder ByteOrder { get; }
    /// <summary>Size in bits; 0 for variable-size types (string, ll_addr, integer, verdict).</summary>
    public int SizeBits { get; }
    public DataType? BaseType { get; }
    /// <summary>Named values; printed instead of the number when one matches exactly.</summary>
    public SymbolTable? Symbols { get; internal init; }
    /// <summary>Symbols are printed in double quotes (mark, realm, devgroup, day).</summary>
    public bool QuoteSymbols { get; internal init; }
    /// <summary>printf-like integer format: null = decimal; "x" = 0x%x; "x8" = 0x%.8x, etc.</summary>
    internal string? BaseFormat { get; init; }
    internal Func<Constant, PrintOptions, string?>? Printer { get; init; }
    internal Func<string, DataType, Constant?>? Parser { get; init; }
    /// <summary>Values of this type can be written as a prefix (10.0.0.0/8).</summary>
    public bool AllowsPrefix { get; internal init; }

    /// <summary>True when this type or one of its base types is <paramref name="other"/>.</summary>
    public bool IsA(DataType other)
    {
        for (DataType? t = this; t is not null; t = t.BaseType)
            if (ReferenceEquals(t, other)) return true;
        return false;
    }

    /// <summary>The innermost base type (integer, string...).</summary>
    public DataType Root
    {
        get
        {
            DataType t = this;
            while (t.BaseType is not null) t = t.BaseType;
            return t;
        }
    }

    public bool IsBitmask => IsA(DataTypeRegistry.Bitmask);
    /// <summary>A type of named flags built on bitmask (tcp_flag, ct_state...): nft matches these with a flag test
    /// (`& mask != 0`); `bitmask` itself (comp flags) is compared as a plain integer.</summary>
    public bool IsFlagType => BaseType == DataTypeRegistry.Bitmask;
    public bool IsString => IsA(DataTypeRegistry.String);

    public override string ToString() => Name;
}

/// <summary>A constant: a number (nft's mpz value) with the type, byte order and length it has in a register.</summary>
internal readonly record struct Constant(DataType Type, ByteOrder Order, int LengthBits, BigInteger Value)
{
    public int LengthBytes => (LengthBits + 7) / 8;

    /// <summary>Reads register bytes as nft does (mpz_import with the given byte order).</summary>
    public static Constant FromBytes(DataType type, ByteOrder order, ReadOnlySpan<byte> data, int lengthBits = -1)
    {
        if (lengthBits < 0) lengthBits = data.Length * 8;
        var value = new BigInteger(data, isUnsigned: true, isBigEndian: order == ByteOrder.BigEndian);
        return new Constant(type, order, lengthBits, value);
    }

    /// <summary>The value as register bytes (mpz_export_data in this constant's byte order).</summary>
    public byte[] ToBytes() => ToBytes(LengthBytes);

    public byte[] ToBytes(int length)
    {
        var result = new byte[length];
        byte[] le = Value.IsZero ? Array.Empty<byte>() : Value.ToByteArray(isUnsigned: true, isBigEndian: false);
        for (int i = 0; i < Math.Min(le.Length, length); i++) result[i] = le[i];
        if (Order == ByteOrder.BigEndian) Array.Reverse(result);
        return result;
    }

    public Constant WithType(DataType type) => this with { Type = type };

    public string Format(PrintOptions? options = null) => ValueFormatter.Format(this, options ?? PrintOptions.Default);

    public override string ToString() => Format();
}
