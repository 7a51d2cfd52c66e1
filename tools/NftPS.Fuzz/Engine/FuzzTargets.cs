using NftPS.Language.Evaluate;
using NftPS.Language.Json;
using NftPS.Language.Linearize;
using NftPS.Language.Script;
using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Fuzz;

/// <summary>The three entry points fuzzed, none of which touches the kernel: a rule through parse, evaluate and
/// linearize for one family; an nft file through parse and evaluation into a batch; a JSON document through the
/// reader, the file parser and evaluation.</summary>
public enum FuzzTarget { Rule, Script, Json }

public static class FuzzTargets
{
    /// <summary>Designed errors are the exception types NftPS defines for bad input (NftLanguageException,
    /// NftJsonException, NftInputFileException, NetlinkSizeException, …); .NET's own (InvalidCast, Overflow,
    /// IndexOutOfRange, Format, a bare ArgumentException…) mean the input reached code that did not expect it.</summary>
    public static bool IsDesigned(Exception e) =>
        e is NftLanguageException or NftJsonException or NftJsonUnsupportedException ||
        e.GetType().Assembly == typeof(NftLanguageException).Assembly;

    /// <summary>An empty directory the script target names as the file's location, so relative includes find nothing.</summary>
    private static readonly Lazy<string> ScratchDir = new(() =>
    {
        // One shared, never-written directory (not one per process: the tests start a child per deep input).
        string dir = Path.Combine(Path.GetTempPath(), "nftps-fuzz-empty");
        Directory.CreateDirectory(dir);
        return dir;
    });

    public static void RunRule(NftFamily family, string rule)
    {
        var context = new CompileContext { Family = family, Table = "t", Chain = "c" };
        RuleCompiler.Compile(rule, context);
    }

    public static void RunScript(string text)
    {
        var script = NftScript.Parse(text, Path.Combine(ScratchDir.Value, "fuzz.nft"), Array.Empty<string>());
        script.QueueOn(new NftBatch());
    }

    public static void RunJson(string json) => JsonScript.Parse(json).QueueOn(new NftBatch());
}
