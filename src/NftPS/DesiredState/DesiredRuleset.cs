using NftPS.Language.Script;
using NftPS.NfTables.Model;

namespace NftPS.DesiredState;

/// <summary>A desired state compiled once: the tables it manages, each as the kernel would hold it after `nft -f`
/// of the source (model objects like a snapshot's, without handles), plus the operations that create each object.
/// Built from nft text or a file (define/include), libnftables JSON, or model objects (a snapshot from another
/// host). SKELETON: the ds-core work fills this in.</summary>
internal sealed class DesiredRuleset
{
    /// <summary>The managed tables and everything in them, as model objects.</summary>
    public NftRuleset Model { get; } = new();

    public static DesiredRuleset FromText(string text, string? fileName = null, IReadOnlyList<string>? includePath = null,
        ScriptContext? context = null) => throw new NotImplementedException("desired state: compile pending (issue 14)");

    public static DesiredRuleset FromFile(string path, IReadOnlyList<string>? includePath = null, ScriptContext? context = null) =>
        throw new NotImplementedException("desired state: compile pending (issue 14)");

    public static DesiredRuleset FromJson(string json, ScriptContext? context = null) =>
        throw new NotImplementedException("desired state: compile pending (issue 14)");

    public static DesiredRuleset FromRuleset(NftRuleset ruleset, ScriptContext? context = null) =>
        throw new NotImplementedException("desired state: compile pending (issue 14)");
}
