using System.Text;

namespace NftPS.Language.Metrics;

/// <summary>Writes a metrics file the way node_exporter's textfile collector needs: to a temporary file in the same
/// directory, then renamed over the target (rename(2) is atomic within a file system), so a scrape never reads half a
/// file. The temporary name does not end in .prom, so the collector never picks it up.</summary>
internal static class MetricsFile
{
    public static void WriteAtomically(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(new UTF8Encoding(false).GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
