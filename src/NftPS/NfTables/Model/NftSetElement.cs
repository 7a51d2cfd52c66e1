using NftPS.NfTables.Expressions;

namespace NftPS.NfTables.Model;

/// <summary>One set element. Sets can hold millions of these, so the rarely used parts (timeouts, counters,
/// comments, interval ends, statements) live in a side object that exists only when one of them is set.</summary>
public sealed class NftSetElement : NftObjectBase
{
    private Extra? _extra;
    private Extra X => _extra ??= new Extra();

    public string Table { get; set; } = "";
    /// <summary>The set or map the element belongs to. Not `Set`: under member enumeration `$elements.Set` would be
    /// System.Array's own Set(int, object) method, not this property.</summary>
    public string SetName { get; set; } = "";
    /// <summary>The element as nft prints it inside `elements = { ... }` (ranges and prefixes merged).
    /// The reader leaves it empty; the language layer's element printer fills it on demand.</summary>
    public string Value { get; set; } = "";
    /// <summary>The element's key as a typed value: an IPAddress, an IPNetwork (prefix) or NftAddressRange, a port (int)
    /// or NftPortRange, a uid, a name; for a concatenation an array with one value per part (`10.0.0.1 . 22` gives
    /// @(10.0.0.1, 22)); null for the catch-all or where the key type is unknown. Value keeps the nft text
    /// (what Add-/Remove-NftSetElement take).</summary>
    public object? TypedValue => ValueSource?.Invoke(this);

    /// <summary>Reads <see cref="TypedValue"/> from the key bytes; one per set, shared by its elements, set by the
    /// language layer (the model cannot read key types itself).</summary>
    internal Func<NftSetElement, object?>? ValueSource { get; set; }

    /// <summary>Key bytes as the kernel holds them (NFTA_SET_ELEM_KEY / NFTA_DATA_VALUE); null for the catch-all.</summary>
    public byte[]? Key { get; set; }
    /// <summary>Inclusive end of a concatenated interval (NFTA_SET_ELEM_KEY_END).</summary>
    public byte[]? KeyEnd { get => _extra?.KeyEnd; set { if (value is not null || _extra is not null) X.KeyEnd = value; } }
    /// <summary>Map data bytes, when the data is a value.</summary>
    public byte[]? Data { get; set; }
    /// <summary>Map data verdict ("accept", "jump chain"...), when the data is a verdict.</summary>
    public NftVerdict? Verdict { get => _extra?.Verdict; set { if (value is not null || _extra is not null) X.Verdict = value; } }
    /// <summary>NFT_SET_ELEM_* flags: interval end 1, catch-all 2.</summary>
    public uint Flags { get; set; }
    public bool IsIntervalEnd => (Flags & 1) != 0;
    public bool IsCatchAll => (Flags & 2) != 0;
    public TimeSpan? Timeout { get => _extra?.Timeout; set { if (value is not null || _extra is not null) X.Timeout = value; } }
    public TimeSpan? Expires { get => _extra?.Expires; set { if (value is not null || _extra is not null) X.Expires = value; } }
    public string? Comment { get => _extra?.Comment; set { if (value is not null || _extra is not null) X.Comment = value; } }
    public string? ObjectReference { get => _extra?.ObjectReference; set { if (value is not null || _extra is not null) X.ObjectReference = value; } }
    public ulong? Counter { get => _extra?.Counter; set { if (value is not null || _extra is not null) X.Counter = value; } }
    public ulong? Bytes { get => _extra?.Bytes; set { if (value is not null || _extra is not null) X.Bytes = value; } }
    public IReadOnlyList<Expression> Expressions
    {
        get => _extra?.Expressions ?? Array.Empty<Expression>();
        set { if (value.Count > 0 || _extra is not null) X.Expressions = value; }
    }
    /// <summary>The element's statements exactly as the kernel returned them: the payload of NFTA_SET_ELEM_EXPRESSIONS
    /// (a list), or of NFTA_SET_ELEM_EXPR (one expression, see <see cref="RawExpressionIsSingle"/>).</summary>
    public byte[]? RawExpressions { get => _extra?.RawExpressions; set { if (value is not null || _extra is not null) X.RawExpressions = value; } }
    /// <summary>True when <see cref="RawExpressions"/> came from NFTA_SET_ELEM_EXPR (one expression, not a list).</summary>
    public bool RawExpressionIsSingle { get => _extra?.RawExpressionIsSingle ?? false; set { if (value || _extra is not null) X.RawExpressionIsSingle = value; } }
    public byte[]? UserData { get => _extra?.UserData; set { if (value is not null || _extra is not null) X.UserData = value; } }
    public override string ToString() => Value;

    private sealed class Extra
    {
        public byte[]? KeyEnd;
        public NftVerdict? Verdict;
        public TimeSpan? Timeout;
        public TimeSpan? Expires;
        public string? Comment;
        public string? ObjectReference;
        public ulong? Counter;
        public ulong? Bytes;
        public IReadOnlyList<Expression>? Expressions;
        public byte[]? RawExpressions;
        public bool RawExpressionIsSingle;
        public byte[]? UserData;
    }
}
