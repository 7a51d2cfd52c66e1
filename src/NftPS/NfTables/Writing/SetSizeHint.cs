namespace NftPS.NfTables.Writing;

/// <summary>The size hint (NFTA_SET_DESC_SIZE, nft's <c>size</c>) to give a new set that is created together with many
/// elements. With a size the kernel picks its fixed-size hash instead of the resizable rhashtable and inserts without
/// rehashing. The kernel also treats the size as the set's maximum (ENFILE beyond it), so the hint leaves room to grow:
/// twice the initial count rounded up to a power of two, never below nft's own default of 65536. Small sets and
/// interval sets get no hint: rehashing a few thousand elements costs nothing, and a cap there would only surprise.
/// The cmdlets do not apply it on their own (the cap and the `size` line in `nft list` would be changes nobody asked
/// for); New-NftSet -Size gives the same speed-up when the caller chooses it.</summary>
internal static class SetSizeHint
{
    public const int Threshold = 8192;
    public const uint Minimum = 65536;
    private const uint IntervalFlag = 0x4;

    public static uint? ForNewSet(int elementCount, uint setFlags = 0)
    {
        if (elementCount < Threshold || (setFlags & IntervalFlag) != 0) return null;
        ulong wanted = Math.Max((ulong)elementCount * 2, Minimum);
        ulong size = 1;
        while (size < wanted) size <<= 1;
        return (uint)Math.Min(size, 1u << 31);
    }
}
