using System.Management.Automation;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets.Changes;

/// <summary>-Flags from a piped set: its Flags property is the kernel's number (NFT_SET_*), which binds by name before
/// any alias; the number becomes the flag names New-NftSet declares (map, anonymous and concat bits are implied by
/// the declaration). Names are left as they are for ValidateSet to check.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class SetFlagsTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject p ? p.BaseObject : inputData) switch
        {
            uint u => NftSet.FlagNamesOf(u),
            int i when i >= 0 => NftSet.FlagNamesOf((uint)i),
            long l when l is >= 0 and <= uint.MaxValue => NftSet.FlagNamesOf((uint)l),
            _ => inputData,
        };
}

/// <summary>-Policy from a piped set: the kernel's NFTA_SET_POLICY number (0 performance, 1 memory) becomes its name.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class SetPolicyTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject p ? p.BaseObject : inputData) switch
        {
            uint u => PolicyName(u),
            int i when i >= 0 => PolicyName((uint)i),
            _ => inputData,
        };

    // Another number is left as a number: ValidateSetOrNull refuses it with its usual message.
    private static object PolicyName(uint policy) => policy switch { 0 => "performance", 1 => "memory", _ => policy.ToString() };
}
