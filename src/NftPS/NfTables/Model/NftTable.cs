namespace NftPS.NfTables.Model;

public sealed class NftTable : NftObjectBase
{
    public string Name { get; set; } = "";
    /// <summary>NFT_TABLE_F_* (dormant 1, owner 2, persist 4).</summary>
    public uint Flags { get; set; }
    public bool Dormant => (Flags & 1) != 0;
    public uint Use { get; set; }
    /// <summary>Port id of the owning process when the owner flag is set.</summary>
    public uint? Owner { get; set; }
    public string? Comment { get; set; }
    public byte[]? UserData { get; set; }
    public override string ToString() => $"table {Family.ToKeyword()} {Name}";
}
