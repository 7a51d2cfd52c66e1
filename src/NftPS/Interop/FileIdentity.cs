using System.Runtime.InteropServices;

namespace NftPS.Interop;

/// <summary>The (device, inode) of a file, via statx — whose buffer layout, unlike stat's, is the same on
/// every architecture. A namespace name deleted and re-created with `ip netns` keeps its path but not its inode.</summary>
internal static class FileIdentity
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int StatxBufferSize = 256, InoOffset = 32, DevMajorOffset = 136, DevMinorOffset = 140;

    [DllImport("libc", SetLastError = true, EntryPoint = "statx")]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    /// <summary>Null when the file cannot be examined (then callers assume nothing changed).</summary>
    public static (ulong Device, ulong Inode)? Of(string path)
    {
        try
        {
            var buffer = new byte[StatxBufferSize];
            if (Statx(AtFdCwd, path, 0, StatxIno, buffer) != 0) return null;
            ulong inode = BitConverter.ToUInt64(buffer, InoOffset);
            ulong device = ((ulong)BitConverter.ToUInt32(buffer, DevMajorOffset) << 32) | BitConverter.ToUInt32(buffer, DevMinorOffset);
            return (device, inode);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }
}
