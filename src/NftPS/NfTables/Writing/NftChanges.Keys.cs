using NftPS.NfTables.Operations;

namespace NftPS.NfTables.Writing;

/// <summary>One packed key as nft text ("10.0.0.1").</summary>
internal delegate string KeyDescriber(ReadOnlySpan<byte> key);

/// <summary>Elements that are keys and nothing else, packed back to back in one buffer: no object and no array per
/// element, which is what most of the time of a million-element batch went to (allocation and the GC that follows).
/// The messages are byte for byte those of <see cref="AddElements"/> with key-only element specs.</summary>
internal static partial class NftChanges
{
    /// <summary>add element: <paramref name="keys"/> holds <c>keys.Length / keyLength</c> keys of
    /// <paramref name="keyLength"/> bytes each, in the set's key byte order. The buffer is read when the batch is
    /// encoded, so it must not change until then. <paramref name="describe"/> turns one key into nft text, for
    /// -WhatIf and errors; it runs only when a description is read.</summary>
    public static IReadOnlyList<BatchOperation> AddElementKeys(this NftBatch batch, NftFamily family, string table, string set,
        ReadOnlyMemory<byte> keys, int keyLength, KeyDescriber describe, uint? setId = null, bool create = false) =>
        QueueKeys(batch, create ? NftVerb.Create : NftVerb.Add, family, table, set, keys, keyLength, describe, setId);

    /// <summary>delete element, keys packed as for <see cref="AddElementKeys"/>.</summary>
    public static IReadOnlyList<BatchOperation> DeleteElementKeys(this NftBatch batch, NftFamily family, string table, string set,
        ReadOnlyMemory<byte> keys, int keyLength, KeyDescriber describe, bool destroy = false) =>
        QueueKeys(batch, destroy ? NftVerb.Destroy : NftVerb.Delete, family, table, set, keys, keyLength, describe, null);

    private static IReadOnlyList<BatchOperation> QueueKeys(NftBatch batch, NftVerb verb, NftFamily family, string table, string set,
        ReadOnlyMemory<byte> keys, int keyLength, KeyDescriber describe, uint? setId)
    {
        if (keyLength <= 0 || keys.Length % keyLength != 0)
            throw new ArgumentException($"The key buffer ({keys.Length} bytes) is not a whole number of {keyLength}-byte keys.", nameof(keys));
        // NFTA_LIST_ELEM{NFTA_SET_ELEM_KEY{NFTA_DATA_VALUE}}: three headers and the padded key.
        int perElement = 12 + Netlink.NetlinkConstants.Align(keyLength);
        int perMessage = Math.Max(1, MaxElementsPerMessage / perElement);
        int count = keys.Length / keyLength;
        var operations = new List<BatchOperation>((count + perMessage - 1) / perMessage);
        for (int first = 0; first < count; first += perMessage)
        {
            var slice = keys.Slice(first * keyLength, Math.Min(perMessage, count - first) * keyLength);
            operations.Add(batch.Add(new ElementKeysOperation(verb, family, table, set, slice, keyLength) { DescribeKey = describe, SetId = setId }));
        }
        return operations;
    }
}
