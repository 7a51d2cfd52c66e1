namespace NftPS.Tests.Infrastructure;

/// <summary>Fallback when a test finds at run time that it cannot run: it fails with the reason. Tests that
/// need the kernel or ../shared use [KernelFact]/[SharedFact], which skip at discovery instead — except
/// under CI=true, where they run and so fail, because there a skip is a failure.</summary>
public static class Skip
{
    public static void Because(string reason) =>
        Assert.Fail(TestEnvironment.IsCI ? $"Cannot run under CI=true: {reason}" : $"Cannot run here: {reason}");
}

/// <summary>Why kernel tests cannot run on this machine (null when they can). Probed once per test run.</summary>
public static class KernelAvailability
{
    private static readonly Lazy<string?> Reason = new(PrivateNetworkNamespace.ProbeUnavailableReason);
    public static string? UnavailableReason => Reason.Value;
}

/// <summary>A test that needs private network namespaces, CAP_NET_ADMIN and nft.</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (!TestEnvironment.IsCI && KernelAvailability.UnavailableReason is { } r) Skip = r;
    }
}

public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute()
    {
        if (!TestEnvironment.IsCI && KernelAvailability.UnavailableReason is { } r) Skip = r;
    }
}

/// <summary>A test that reads ../shared (conformance vectors, scenarios).</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (!TestEnvironment.IsCI && TestEnvironment.SharedDir is null) Skip = "../shared is not present next to the repository";
    }
}
