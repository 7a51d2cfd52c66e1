using System.Runtime.InteropServices;

namespace NftPS.Interop;

/// <summary>struct sockaddr_nl (linux/netlink.h), 12 bytes in host order. Tmds.LibC does not declare it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrNl
{
    public ushort Family;
    public ushort Pad;
    public uint PortId;
    public uint Groups;
}
