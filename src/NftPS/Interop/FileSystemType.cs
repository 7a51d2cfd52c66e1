using System.Runtime.InteropServices;

namespace NftPS.Interop;

/// <summary>Which file system a path lives on (statfs f_type), to tell a namespace file (nsfs) from any other file:
/// a path handed to setns must be one, and a stale name left under /run/netns is not.</summary>
internal static class FileSystemType
{
    public const long NsfsMagic = 0x6e736673;

    // struct statfs starts with f_type (a long on every 64-bit Linux ABI); the buffer is larger than the struct.
    [DllImport("libc", SetLastError = true, EntryPoint = "statfs")]
    private static extern int StatFs([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

    /// <summary>f_type of the file system holding <paramref name="path"/> (symlinks followed); null when it cannot be examined.</summary>
    public static long? Of(string path)
    {
        try
        {
            var buffer = new byte[256];
            if (StatFs(path, buffer) != 0) return null;
            return BitConverter.ToInt64(buffer, 0);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }
}
