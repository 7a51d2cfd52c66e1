namespace NftPS.Cmdlets.Changes;

/// <summary>How many elements are typed and encoded at a time: a pipeline of any length is encoded chunk by chunk
/// (all of it still goes in one batch), so the parsed elements never pile up for sets without intervals.</summary>
internal static class ElementStream
{
    public const int ChunkSize = 4096;
}
