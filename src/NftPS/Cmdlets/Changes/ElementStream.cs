using NftPS.NfTables;

namespace NftPS.Cmdlets.Changes;

/// <summary>Elements arriving one by one from the pipeline, buffered as nft text and queued a chunk at a time,
/// so any number of them turns into NEWSETELEM/DELSETELEM messages without holding the whole stream.</summary>
internal sealed class ElementStream
{
    public const int ChunkSize = 4096;

    private readonly List<string> _pending = new(ChunkSize);

    public int Count => _pending.Count;
    public bool IsFull => _pending.Count >= ChunkSize;

    public void Add(string text) => _pending.Add(text);

    /// <summary>The buffered elements as one nft command ("add element inet t s { … }"), and empties the buffer.</summary>
    public string? TakeCommand(string verb, NftFamily family, string table, string set)
    {
        if (_pending.Count == 0) return null;
        string command = $"{verb} element {family.ToKeyword()} {LanguageAdapter.Name(table)} {LanguageAdapter.Name(set)} {{ {string.Join(", ", _pending)} }}";
        _pending.Clear();
        return command;
    }
}
