using System.Numerics;

namespace NftPS.Language.DataTypes;

/// <summary>Named constants of a data type (nftables' struct symbol_table). Values are logical numbers, not
/// the network-order bytes nftables keeps for big-endian types.</summary>
internal sealed class SymbolTable
{
    private readonly List<KeyValuePair<string, BigInteger>> _symbols;

    public SymbolTable(bool hexadecimal, params (string Name, long Value)[] symbols)
    {
        Hexadecimal = hexadecimal;
        _symbols = symbols.Select(s => new KeyValuePair<string, BigInteger>(s.Name, s.Value)).ToList();
    }

    private SymbolTable(bool hexadecimal, List<KeyValuePair<string, BigInteger>> symbols)
    {
        Hexadecimal = hexadecimal;
        _symbols = symbols;
    }

    /// <summary>How `nft describe` shows the values (BASE_HEXADECIMAL vs BASE_DECIMAL).</summary>
    public bool Hexadecimal { get; }

    public IReadOnlyList<KeyValuePair<string, BigInteger>> Symbols => _symbols;

    /// <summary>The first name with exactly this value (nft prints the first match).</summary>
    public string? NameOf(BigInteger value)
    {
        foreach (var s in _symbols)
            if (s.Value == value) return s.Key;
        return null;
    }

    public bool TryGetValue(string name, out BigInteger value)
    {
        foreach (var s in _symbols)
            if (s.Key == name) { value = s.Value; return true; }
        value = default;
        return false;
    }

    /// <summary>Reads an iproute2-style table (rt_realms, group, rt_marks, connlabel.conf): "value name" per line.
    /// A missing file gives an empty table, as in nft.</summary>
    public static SymbolTable FromIproute2File(string path)
    {
        var list = new List<KeyValuePair<string, BigInteger>>();
        try
        {
            if (File.Exists(path))
            {
                foreach (string raw in File.ReadLines(path))
                {
                    string line = raw.Trim();
                    if (line.Length == 0 || line[0] == '#') continue;
                    string[] parts = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length < 2) continue;
                    string num = parts[0];
                    long v;
                    bool ok = num.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                        ? long.TryParse(num.AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out v)
                        : long.TryParse(num, out v);
                    if (!ok) break;
                    list.Add(new(parts[1], v));
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return new SymbolTable(false, list);
    }
}
