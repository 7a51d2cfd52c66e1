namespace NftPS.NfTables.Expressions;

/// <summary>Register numbering. 0 = verdict, 1–4 = the legacy 16-byte registers, 8–23 = NFT_REG32_00..15 (4-byte).
/// They overlap: reg 1 = reg 8, reg 2 = reg 12, ... The kernel dumps a register as 1–4 when it starts a 16-byte
/// register and as 8+slot otherwise; <see cref="Normalize"/> does the same.</summary>
public static class Registers
{
    public const uint Verdict = 0;
    public const uint Reg1 = 1, Reg2 = 2, Reg3 = 3, Reg4 = 4;
    public const uint Reg32First = 8, Reg32Last = 23;

    /// <summary>The 4-byte slot (0..15) a register starts at; reg 0 (verdict) has no slot.</summary>
    public static int ToSlot(uint register) => register switch
    {
        >= 1 and <= 4 => (int)(register - 1) * 4,
        >= Reg32First and <= Reg32Last => (int)(register - Reg32First),
        _ => throw new ArgumentOutOfRangeException(nameof(register), register, "Not a data register."),
    };

    /// <summary>The register number nft and the kernel use for a 4-byte slot.</summary>
    public static uint FromSlot(int slot)
    {
        if (slot < 0 || slot > 15) throw new ArgumentOutOfRangeException(nameof(slot));
        return slot % 4 == 0 ? (uint)(slot / 4 + 1) : (uint)(Reg32First + slot);
    }

    /// <summary>The canonical form of a register number as the kernel dumps it (8 → 1, 12 → 2, 9 stays 9).</summary>
    public static uint Normalize(uint register) => register == Verdict || register > Reg32Last || (register > 4 && register < Reg32First)
        ? register
        : FromSlot(ToSlot(register));
}
