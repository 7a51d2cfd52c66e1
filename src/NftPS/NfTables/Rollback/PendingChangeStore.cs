using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace NftPS.NfTables.Rollback;

/// <summary>Pending changes on disk, under /run (tmpfs: a reboot inside the window forgets them, and the persisted
/// configuration loads as before). pending/ID/ holds state.json and restore.bin (0600, directory 0700) while the change
/// is pending; outcomes/ID.json records how a rolled-back change ended, so a late confirmation can say TooLate (pruned
/// after a day). Every read-modify-write runs under one lock file (flock), which the agent also holds while it restores,
/// so a confirmation and a rollback never both happen.</summary>
public sealed partial class PendingChangeStore
{
    public const string DefaultRoot = "/run/nftps";
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = Private | UnixFileMode.UserExecute;
    private static readonly TimeSpan OutcomesKept = TimeSpan.FromDays(1);

    // Source-generated (PendingChangeJson): the native nftps agent reads these files and has no reflection-based
    // serializer; the module reads and writes exactly the same JSON.
    private static readonly PendingChangeJson Json = PendingChangeJson.Default;

    public PendingChangeStore(string root = DefaultRoot) => Root = root;

    public string Root { get; }
    public string PendingDirectory => Path.Combine(Root, "pending");
    public string OutcomeDirectory => Path.Combine(Root, "outcomes");

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex IdPattern();

    /// <summary>A fresh id: 16 lower-case hex digits.</summary>
    public static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    /// <summary>Whether <paramref name="id"/> has the form of an id (it names a directory, so nothing else is let near a path).</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    private static string Checked(string id) =>
        IsValidId(id) ? id : throw new ArgumentException($"'{id}' is not a pending change id (16 hex digits).", nameof(id));

    public string DirectoryOf(string id) => Path.Combine(PendingDirectory, Checked(id));
    private string StatePath(string id) => Path.Combine(DirectoryOf(id), "state.json");
    private string RestorePath(string id) => Path.Combine(DirectoryOf(id), "restore.bin");
    public string PinPath(string id) => Path.Combine(DirectoryOf(id), "netns");
    private string OutcomePath(string id) => Path.Combine(OutcomeDirectory, Checked(id) + ".json");

    /// <summary>Makes the change's directory with its restore batch; the state is written by <see cref="Write"/>.</summary>
    public void Create(string id, byte[] restore)
    {
        EnsureDirectory(Root);
        EnsureDirectory(PendingDirectory);
        Directory.CreateDirectory(DirectoryOf(id), PrivateDirectory);
        WriteFile(RestorePath(id), restore);
    }

    public void Write(PendingChangeState state) => WriteFile(StatePath(state.Id), JsonSerializer.SerializeToUtf8Bytes(state, Json.PendingChangeState));

    public PendingChangeState? Read(string id) => ReadJson(StatePath(id));

    public byte[] ReadRestore(string id) => File.ReadAllBytes(RestorePath(id));

    /// <summary>Every pending change (unreadable state files are skipped).</summary>
    public IReadOnlyList<PendingChangeState> List()
    {
        if (!Directory.Exists(PendingDirectory)) return Array.Empty<PendingChangeState>();
        return Directory.EnumerateDirectories(PendingDirectory)
            .Select(Path.GetFileName)
            .Where(IsValidId)
            .Select(id => Read(id!))
            .OfType<PendingChangeState>()
            .OrderBy(s => s.DeadlineUtc)
            .ToList();
    }

    /// <summary>How a change that is no longer pending ended, when it was rolled back.</summary>
    public PendingChangeState? ReadOutcome(string id) => ReadJson(OutcomePath(id));

    /// <summary>Records a rollback's outcome and removes the pending directory.</summary>
    public void Finish(PendingChangeState state)
    {
        if (state.Outcome is not null)
        {
            EnsureDirectory(OutcomeDirectory);
            WriteFile(OutcomePath(state.Id), JsonSerializer.SerializeToUtf8Bytes(state, Json.PendingChangeState));
        }
        Remove(state.Id);
    }

    /// <summary>Removes the pending directory (unmounting the namespace pin first).</summary>
    public void Remove(string id)
    {
        string dir = DirectoryOf(id);
        if (!Directory.Exists(dir)) return;
        string pin = PinPath(id);
        if (File.Exists(pin)) Interop.BindMount.Detach(pin);
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>Drops outcome records older than a day.</summary>
    public void PruneOutcomes()
    {
        if (!Directory.Exists(OutcomeDirectory)) return;
        foreach (var f in Directory.EnumerateFiles(OutcomeDirectory, "*.json"))
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(f) > OutcomesKept) File.Delete(f);
    }

    /// <summary>Holds the store's lock until disposed; waits up to <paramref name="timeout"/> (10 s by default).</summary>
    public IDisposable Lock(TimeSpan? timeout = null)
    {
        EnsureDirectory(Root);
        string path = Path.Combine(Root, "lock");
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Linux: another process holding it makes the open fail.
                return new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, UnixCreateMode = Private,
                });
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(10);
            }
        }
    }

    private static void EnsureDirectory(string path)
    {
        if (!Directory.Exists(path)) Directory.CreateDirectory(path, PrivateDirectory);
    }

    private static PendingChangeState? ReadJson(string path)
    {
        try { return JsonSerializer.Deserialize(File.ReadAllBytes(path), Json.PendingChangeState); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException) { return null; }
    }

    /// <summary>Written to a temporary name and renamed, so a reader sees the old file or the new one, never half.</summary>
    private static void WriteFile(string path, byte[] bytes)
    {
        string temp = path + ".tmp";
        using (var f = new FileStream(temp, new FileStreamOptions
               {
                   Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = Private,
               }))
        {
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>The state files' JSON (indented, enums by name), generated at compile time.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PendingChangeState))]
internal sealed partial class PendingChangeJson : JsonSerializerContext;
