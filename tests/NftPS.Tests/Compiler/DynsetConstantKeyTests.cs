using NftPS.Language.DataTypes;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.NfTables;

namespace NftPS.Tests.Compiler;

/// <summary>`add @s { ip saddr . 22 timeout 1m }`: a constant item of a dynamic set key is typed by the set's key
/// and loaded with an immediate, as nft 1.0.6 does (expressions below are its --debug=netlink output, new format).</summary>
public class DynsetConstantKeyTests
{
    [Fact]
    public void ConstantConcatItemIsAnImmediateOfTheSetsType()
    {
        var set = new SetDescriptor
        {
            Name = "s",
            KeyTypes = new[] { DataTypeRegistry.Ipv4Addr, DataTypeRegistry.InetService },
            KeyLengthsBits = new[] { 32, 16 },
            HasTimeout = true,
            IsDynamic = true,
        };
        var rule = RuleCompiler.Compile("tcp dport 21 add @s { ip saddr . 22 timeout 1m }",
            new CompileContext { Family = NftFamily.Inet, Table = "t", FindSet = n => n == "s" ? set : null });
        Assert.Equal(new[]
        {
            "[ meta load l4proto => reg 1 ]", "[ cmp eq reg 1 0x06 ]",
            "[ payload load 2b @ transport header + 2 => reg 1 ]", "[ cmp eq reg 1 0x0015 ]",
            "[ meta load nfproto => reg 1 ]", "[ cmp eq reg 1 0x02 ]",
            "[ payload load 4b @ network header + 12 => reg 1 ]",
            "[ immediate reg 9 0x0016 ]",
            "[ dynset add reg_key 1 set s timeout 60000ms ]",
        }, rule.DebugLines);
    }
}
