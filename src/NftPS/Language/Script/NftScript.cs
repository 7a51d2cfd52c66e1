using NftPS.Language.Evaluate;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Operations;

namespace NftPS.Language.Script;

/// <summary>What the kernel already holds, for commands that refer to existing objects (`add element` to a set
/// created earlier, `add rule` using a named set). Everything the script itself creates is tracked by the script.</summary>
internal sealed class ScriptContext
{
    /// <summary>A named set or map that exists in the kernel (family, table, name), or null.</summary>
    public Func<NftFamily, string, string, SetDescriptor?> FindExistingSet { get; init; } = (_, _, _) => null;

    /// <summary>The handle of a chain that exists in the kernel (family, table, name), or null: `rename chain` names the
    /// chain, the kernel renames by handle (nft looks it up in its cache the same way).</summary>
    public Func<NftFamily, string, string, ulong?> FindExistingChain { get; init; } = (_, _, _) => null;

    /// <summary>Batch-local ids (set ids) shared with anything else queued on the same batch.</summary>
    public BatchIds Ids { get; init; } = new();

    /// <summary>Receives compiler warnings (see <see cref="CompileContext.Warning"/>).</summary>
    public Action<string>? Warning { get; init; }

    /// <summary>Receives the file's resets in file order, each a request the caller sends before it commits the batch
    /// (nft 1.0.6 sends them while it walks the file, and the batch after the walk). Null: a reset is refused.</summary>
    public List<ScriptReset>? Resets { get; init; }
}

/// <summary>One reset of a file and the command it came from (errors point at it).</summary>
internal sealed record ScriptReset(ResetOperation Operation, SourceSpan Span);

/// <summary>An nft file (`nft -f` syntax) parsed into an ordered list of commands: table blocks, add/create/insert/
/// replace/delete/destroy/flush commands, define/$var and include. <see cref="QueueOn"/> evaluates the commands and
/// queues the batch operations, so the whole file applies as one atomic transaction.</summary>
internal sealed class NftScript
{
    private NftScript(IReadOnlyList<ScriptCommand> commands) => Commands = commands;

    public IReadOnlyList<ScriptCommand> Commands { get; }

    /// <summary>Parses nft file text. <paramref name="fileName"/> names the text in errors (null: command line);
    /// includes are searched relative to the including file first, then in <paramref name="includePath"/>.</summary>
    public static NftScript Parse(string text, string? fileName = null, IReadOnlyList<string>? includePath = null)
    {
        var defs = new Definitions();
        var commands = ParseFile(text, fileName, includePath ?? Array.Empty<string>(), defs, new Stack<string>());
        return new NftScript(commands);
    }

    /// <summary>Reads and parses a file.</summary>
    public static NftScript ParseFile(string path, IReadOnlyList<string>? includePath = null) =>
        Parse(SourceFile.Read(path), path, includePath);

    /// <summary>nft's limit on files open at once through `include` (the top file counts): deeper is refused with
    /// nft's message.</summary>
    internal const int MaxIncludeDepth = 16;

    private static List<ScriptCommand> ParseFile(string text, string? fileName, IReadOnlyList<string> includePath, Definitions defs,
        Stack<string> including)
    {
        var source = new SourceText(text, fileName ?? SourceText.CommandLine);
        string? dir = fileName is null || fileName == SourceText.CommandLine ? null : Path.GetDirectoryName(Path.GetFullPath(fileName));
        IEnumerable<ScriptCommand> Include(string name, SourceSpan span, Definitions d)
        {
            var files = ResolveInclude(name, dir, includePath, span);
            var result = new List<ScriptCommand>();
            foreach (var f in files)
            {
                string full = Path.GetFullPath(f);
                if (including.Count + 1 >= MaxIncludeDepth)
                    throw new NftSyntaxException(span, $"Include nested too deeply, max {MaxIncludeDepth} levels");
                if (including.Contains(full)) throw new NftSyntaxException(span, $"include cycle detected: {name}");
                string text;
                try { text = SourceFile.Read(full); }
                catch (NftInputFileException e) { throw new NftSyntaxException(span, e.Message); }
                including.Push(full);
                try { result.AddRange(ParseFile(text, f, includePath, d, including)); }
                finally { including.Pop(); }
            }
            return result;
        }
        var parser = new ScriptParser(source, defs, Include);
        return parser.ParseScript();
    }

    /// <summary>nft's include search: an absolute name as is; otherwise next to the including file, then each include
    /// directory. A name with wildcards matches any number of files (sorted); without, it must exist.</summary>
    private static List<string> ResolveInclude(string name, string? dir, IReadOnlyList<string> includePath, SourceSpan span)
    {
        bool wildcard = name.IndexOfAny(new[] { '*', '?', '[' }) >= 0;
        var candidates = new List<string>();
        if (Path.IsPathRooted(name)) candidates.Add(name);
        else
        {
            if (dir is not null) candidates.Add(Path.Combine(dir, name));
            candidates.AddRange(includePath.Select(p => Path.Combine(p, name)));
            if (dir is null && includePath.Count == 0) candidates.Add(Path.GetFullPath(name));
        }
        foreach (var c in candidates)
        {
            if (!wildcard)
            {
                if (File.Exists(c)) return new List<string> { c };
                if (Directory.Exists(c)) throw new NftSyntaxException(span, $"Include '{name}' is a directory");
                continue;
            }
            string? d = Path.GetDirectoryName(c);
            if (d is null || !Directory.Exists(d)) continue;
            var matches = Directory.GetFiles(d, Path.GetFileName(c)).OrderBy(x => x, StringComparer.Ordinal).ToList();
            if (matches.Count > 0) return matches;
        }
        if (wildcard) return new List<string>();
        throw new NftSyntaxException(span, $"File not found: {name}");
    }

    /// <summary>Evaluates every command and queues its operations on <paramref name="batch"/>, in file order.
    /// Throws <see cref="NftLanguageException"/> (file:line:column and caret) before anything is queued if a
    /// command does not evaluate.</summary>
    public void QueueOn(NftBatch batch, ScriptContext? context = null)
    {
        context ??= new ScriptContext();
        var staging = new NftBatch();
        new ScriptEvaluator(context).Queue(Commands, staging);
        foreach (var op in staging.Operations) batch.Add(op.Operation);
    }
}
