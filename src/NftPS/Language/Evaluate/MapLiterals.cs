using NftPS.Language.Syntax;

namespace NftPS.Language.Evaluate;

/// <summary>What the evaluator decides from a map literal's shape and the linearizer then encodes: here, so the
/// data flows parse → evaluate → linearize and the evaluator never calls the linearizer.</summary>
internal static class MapLiterals
{
    /// <summary>A map literal whose data are ranges or prefixes, alone or in a concatenation (NAT to an address range,
    /// `addr/24 . port-port`).</summary>
    public static bool HasIntervalData(SetNode literal) =>
        literal.Elements.Any(e => e is MappingNode { Value: var v } && (v is RangeNode or PrefixNode || v is ConcatNode c && c.Items.Any(i => i is RangeNode or PrefixNode)));
}
