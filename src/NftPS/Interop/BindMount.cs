using System.Runtime.InteropServices;

namespace NftPS.Interop;

/// <summary>mount(2) with MS_BIND and umount2(2), as `ip netns add` uses them: a bind mount keeps a namespace
/// alive and reachable by path after every process in it has gone.</summary>
internal static class BindMount
{
    private const ulong MsBind = 0x1000;
    private const int MntDetach = 0x2;

    [DllImport("libc", SetLastError = true, EntryPoint = "mount")]
    private static extern int Mount([MarshalAs(UnmanagedType.LPUTF8Str)] string source, [MarshalAs(UnmanagedType.LPUTF8Str)] string target,
        string? type, ulong flags, IntPtr data);

    [DllImport("libc", SetLastError = true, EntryPoint = "umount2")]
    private static extern int Umount2([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int flags);

    /// <summary>Binds <paramref name="source"/> onto the existing file <paramref name="target"/>.</summary>
    public static void Bind(string source, string target)
    {
        if (Mount(source, target, null, MsBind, IntPtr.Zero) != 0)
            throw new SystemCallException(Marshal.GetLastPInvokeError(), "mount --bind " + source);
    }

    /// <summary>Lazily unmounts <paramref name="target"/>; false when it was not mounted.</summary>
    public static bool Detach(string target) => Umount2(target, MntDetach) == 0;
}
