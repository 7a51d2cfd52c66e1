using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Changes;

/// <summary>The named sets of a table as the kernel held them at one ruleset generation, kept across cmdlet calls of
/// the session so that a loop of small element transactions does not dump the table's sets again for every call.
/// An entry serves only a transaction that began at the same generation (any change anywhere in the namespace moves
/// it on), except that a commit of this session's that changed nothing but elements carries it over to the
/// generation the commit produced: set definitions are what it holds, and elements are not part of them.</summary>
internal static class KernelSetCache
{
    private sealed class Entry
    {
        public uint Generation;
        public readonly Dictionary<(NftFamily, string), NftRuleset> Tables = new();
    }

    private static readonly object Gate = new();
    // Keyed by NamespaceKey (device:inode), so a namespace deleted and created again under the same name starts empty.
    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    public static NftRuleset? Find(string namespaceKey, uint generation, NftFamily family, string table)
    {
        lock (Gate)
            return Entries.TryGetValue(namespaceKey, out var e) && e.Generation == generation &&
                   e.Tables.TryGetValue((family, table), out var rs) ? rs : null;
    }

    public static void Store(string namespaceKey, uint generation, NftFamily family, string table, NftRuleset sets)
    {
        lock (Gate)
        {
            if (!Entries.TryGetValue(namespaceKey, out var e) || e.Generation != generation)
                Entries[namespaceKey] = e = new Entry { Generation = generation };
            e.Tables[(family, table)] = sets;
        }
    }

    /// <summary>A transaction that began at <paramref name="generation"/> was committed (the kernel checked that
    /// generation, so the commit produced the next one).</summary>
    public static void Committed(string namespaceKey, uint generation, bool elementsOnly)
    {
        lock (Gate)
        {
            if (!Entries.TryGetValue(namespaceKey, out var e)) return;
            if (elementsOnly && e.Generation == generation) e.Generation = Next(generation);
            else Entries.Remove(namespaceKey);
        }
    }

    /// <summary>The kernel's next generation id: it counts up and skips 0 when it wraps.</summary>
    internal static uint Next(uint generation) => generation == uint.MaxValue ? 1 : generation + 1;

    /// <summary>Whether an operation leaves every set definition as it was.</summary>
    public static bool ChangesOnlyElements(BatchOperation op) =>
        op.Type is NfTablesMessageType.NewSetElement or NfTablesMessageType.DelSetElement or NfTablesMessageType.DestroySetElement;

    internal static void Clear()
    {
        lock (Gate) Entries.Clear();
    }
}
