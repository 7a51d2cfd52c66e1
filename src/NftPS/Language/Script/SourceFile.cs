namespace NftPS.Language.Script;

/// <summary>Why a ruleset file could not be read.</summary>
public enum NftInputFileProblem { NotFound, IsDirectory, TooLarge, AccessDenied, Unreadable }

/// <summary>A ruleset file (or an included one) that cannot be read: missing, a directory, too large, not permitted.</summary>
public sealed class NftInputFileException : IOException
{
    internal NftInputFileException(string path, NftInputFileProblem problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
        Problem = problem;
    }

    public string Path { get; }
    public NftInputFileProblem Problem { get; }
}

/// <summary>Reads nft and JSON ruleset files with a size bound. nft streams whatever it is given, so `nft -f /dev/zero`
/// never ends; here a file may hold at most <see cref="MaxBytes"/> (far above real rulesets: a million set elements
/// take about 20 MiB), and a device or pipe is read only that far, so nothing is read forever or into memory
/// exhaustion.</summary>
internal static class SourceFile
{
    public const int MaxBytes = 64 << 20;

    public static string Read(string path)
    {
        if (Directory.Exists(path))
            throw new NftInputFileException(path, NftInputFileProblem.IsDirectory, $"'{path}' is a directory, not a ruleset file.");
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            bytes = ReadBounded(stream, path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NftInputFileException(path, NftInputFileProblem.NotFound, $"Could not open file '{path}': no such file.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new NftInputFileException(path, NftInputFileProblem.AccessDenied, $"Could not open file '{path}': permission denied.", e);
        }
        catch (IOException e) when (e is not NftInputFileException)
        {
            throw new NftInputFileException(path, NftInputFileProblem.Unreadable, $"Could not read file '{path}': {e.Message}", e);
        }
        // The same encoding detection as File.ReadAllText: UTF-8 unless a byte order mark says otherwise.
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static byte[] ReadBounded(Stream stream, string path)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + n > MaxBytes)
                throw new NftInputFileException(path, NftInputFileProblem.TooLarge,
                    $"'{path}' is larger than {MaxBytes >> 20} MiB, the most a ruleset file may hold.");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
