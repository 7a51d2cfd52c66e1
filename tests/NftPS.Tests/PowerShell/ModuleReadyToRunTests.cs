using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using CpuArchitecture = System.Runtime.InteropServices.Architecture;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>The module in out/NftPS carries ReadyToRun code the pinned pwsh's runtime will use (tools/NftPS.ReadyToRun):
/// NftPS.dll for the build host's architecture, each Tmds.LibC for its own. The runtime silently ignores an image
/// whose ReadyToRun major version it does not accept (crossgen2 8.x images under .NET 10 were ignored: as many
/// methods JIT-compiled as with plain IL), so the image's version is checked against the running runtime's own
/// precompiled framework. This test host runs on the same .NET major version as the pinned pwsh 7.6.</summary>
public class ModuleReadyToRunTests
{
    // A ReadyToRun image for Linux stores its machine type XOR-ed with this value (the OS "override").
    private const ushort LinuxMachineOverride = 0x7B79;

    public static bool BuildHostCompilesReadyToRun => RuntimeInformation.OSArchitecture == CpuArchitecture.X64;

    [Theory]
    [InlineData("NftPS.dll", "host")]
    [InlineData("runtimes/linux-x64/Tmds.LibC.dll", "linux-x64")]
    [InlineData("runtimes/linux-arm64/Tmds.LibC.dll", "linux-arm64")]
    public void ModuleAssembliesArePrecompiledForTheirArchitecture(string file, string rid)
    {
        if (!BuildHostCompilesReadyToRun) return; // only the linux-x64 crossgen2 host package is served (see the csproj)
        var image = ReadyToRunImage.Read(Path.Combine(PowerShellHost.ModuleDirectory, file));
        Assert.True(image.IsReadyToRun, $"out/NftPS/{file} carries no ReadyToRun code");
        Machine expected = rid switch
        {
            "linux-x64" => Machine.Amd64,
            "linux-arm64" => Machine.Arm64,
            _ => RuntimeInformation.ProcessArchitecture == CpuArchitecture.Arm64 ? Machine.Arm64 : Machine.Amd64,
        };
        Assert.Equal((ushort)expected ^ LinuxMachineOverride, image.Machine);
    }

    [Fact]
    public void ModuleImageVersionIsOneThisRuntimeUses()
    {
        if (!BuildHostCompilesReadyToRun) return;
        string coreLib = typeof(object).Assembly.Location;
        var framework = ReadyToRunImage.Read(coreLib);
        Assert.True(framework.IsReadyToRun, coreLib + " is not precompiled: cannot tell which version this runtime uses");
        var module = ReadyToRunImage.Read(Path.Combine(PowerShellHost.ModuleDirectory, "NftPS.dll"));
        Assert.Equal(framework.MajorVersion, module.MajorVersion);
    }

    [Fact]
    public void PrecompiledModuleStillHoldsItsIL()
    {
        // The IL stays in the image, so PowerShell 7.4/7.5 (other runtimes) and other architectures JIT it as before.
        using var stream = File.OpenRead(Path.Combine(PowerShellHost.ModuleDirectory, "NftPS.dll"));
        using var pe = new PEReader(stream);
        Assert.True(pe.HasMetadata);
        Assert.Contains(pe.GetMetadataReader().TypeDefinitions,
            t => pe.GetMetadataReader().GetString(pe.GetMetadataReader().GetTypeDefinition(t).Name) == "ModuleInitializer");
    }

    private sealed record ReadyToRunImage(bool IsReadyToRun, ushort Machine, ushort MajorVersion)
    {
        private const uint Signature = 0x00525452; // "RTR"

        public static ReadyToRunImage Read(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var headers = pe.PEHeaders;
            ushort machine = (ushort)headers.CoffHeader.Machine;
            var native = headers.CorHeader?.ManagedNativeHeaderDirectory ?? default;
            if (native.Size == 0) return new ReadyToRunImage(false, machine, 0);
            var data = pe.GetSectionData(native.RelativeVirtualAddress).GetContent(0, 8);
            uint signature = BitConverter.ToUInt32(data.AsSpan(0, 4));
            ushort major = BitConverter.ToUInt16(data.AsSpan(4, 2));
            return new ReadyToRunImage(signature == Signature, machine, major);
        }
    }
}
