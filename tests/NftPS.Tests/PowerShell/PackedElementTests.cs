using NftPS.Cmdlets.Changes;
using NftPS.Language.Evaluate;
using NftPS.NfTables;
using NftPS.Language.Syntax;
using NftPS.NfTables.Writing;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Element strings read straight into packed keys (PackedElements, issue 18): the same elements as the
/// compiler makes for the same text, the same refusals (the fast reader never refuses, it only hands text it does not
/// own to the compiler), and in the kernel exactly what nft puts there.</summary>
public class PackedElementTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public PackedElementTests(ScriptFixture fx) => _fx = fx;

    private static SetDescriptor Set(string type, bool interval = false, bool autoMerge = false) =>
        SetDeclarations.FromType("s", type, null, interval) with { AutoMerge = autoMerge };

    /// <summary>What the compiler makes of the same strings (each parsed as one element, typed by the set).</summary>
    private static List<ElementSpec> Compiled(SetDescriptor set, IEnumerable<string> texts) =>
        LanguageAdapter.EncodeElements(set, NftFamily.Ip, texts.Select(t => ElementText.Parse(t, null, null)).ToList(), adding: true);

    private static string Show(IEnumerable<ElementSpec> specs) => string.Join("\n", specs.Select(e =>
        $"{Convert.ToHexString(e.Key ?? Array.Empty<byte>())} {Convert.ToHexString(e.KeyEnd ?? Array.Empty<byte>())} flags={e.Flags} open={e.IntervalOpen}"));

    [Theory]
    [InlineData("ipv4_addr", new[] { "10.0.0.1", "0.0.0.0", "255.255.255.255", "192.168.100.20" })]
    [InlineData("inet_service", new[] { "0", "22", "443", "65535" })]
    [InlineData("ipv4_addr . inet_service", new[] { "10.0.0.1 . 443", "1.2.3.4 . 0", "255.255.255.255 . 65535" })]
    [InlineData("inet_service . ipv4_addr . inet_service", new[] { "22 . 10.0.0.1 . 80" })]
    public void PlainKeysAreTheCompilersBytes(string type, string[] texts)
    {
        var set = Set(type);
        var packer = PackedElements.For(set, adding: true);
        Assert.NotNull(packer);
        var packed = texts.Select(t =>
        {
            Assert.True(PackedElements.IsCandidate(t), t);
            Assert.True(packer!.TryKey(t, out var key), t);
            return new ElementSpec { Key = key };
        }).ToList();
        Assert.Equal(Show(Compiled(set, texts)), Show(packed));
    }

    [Theory]
    [InlineData("ipv4_addr", false, new[] { "10.0.0.0/8", "192.168.1.5-192.168.1.9", "172.16.0.1", "10.0.0.0/8" })]
    [InlineData("ipv4_addr", false, new[] { "0.0.0.0/8", "255.255.255.0/24", "1.2.3.4/32", "10.1.2.3/16" })]
    [InlineData("ipv4_addr", false, new[] { "0.0.0.0/0" })]
    [InlineData("ipv4_addr", false, new[] { "10.0.0.0/25", "10.0.0.128/25", "10.0.1.0/24" })]
    [InlineData("ipv4_addr", true, new[] { "10.0.0.0/25", "10.0.0.128/25", "10.0.0.5", "10.0.3.0-10.0.4.255", "10.0.4.0/24" })]
    [InlineData("inet_service", false, new[] { "22", "1000-2000", "65000-65535", "0-10" })]
    [InlineData("inet_service", true, new[] { "22", "23", "20-22", "1000-2000", "1500-3000" })]
    public void IntervalsAreTheCompilersElements(string type, bool autoMerge, string[] texts)
    {
        var set = Set(type, interval: true, autoMerge);
        var packer = PackedElements.For(set, adding: true)!;
        var ranges = texts.Select(t =>
        {
            Assert.True(packer.TryRange(t, out uint lo, out uint hi), t);
            return (lo, hi);
        }).ToList();
        var packed = packer.EncodeIntervals(ranges);
        Assert.NotNull(packed);
        Assert.Equal(Show(Compiled(set, texts)), Show(packed!));
    }

    [Fact]
    public void ConflictingIntervalsAreLeftToTheCompilersRefusal()
    {
        var set = Set("ipv4_addr", interval: true);
        var packer = PackedElements.For(set, adding: true)!;
        Assert.True(packer.TryRange("10.0.0.0/8", out uint lo1, out uint hi1));
        Assert.True(packer.TryRange("10.1.2.0/24", out uint lo2, out uint hi2));
        Assert.Null(packer.EncodeIntervals(new() { (lo1, hi1), (lo2, hi2) }));
        var ex = Assert.ThrowsAny<NftLanguageException>(() => Compiled(set, new[] { "10.0.0.0/8", "10.1.2.0/24" }));
        Assert.Contains("conflicting intervals", ex.Message);
        Assert.False(packer.TryRange("10.0.0.9-10.0.0.1", out _, out _)); // a backwards range: the compiler says why
    }

    [Theory]
    [InlineData("10.0.0.1 }")]
    [InlineData("1.2.3.4, 5.6.7.8")]
    [InlineData("1.2.3.4 5.6.7.8")]
    [InlineData("@x")]
    [InlineData("$x")]
    [InlineData("accept")]
    [InlineData("ssh")]
    [InlineData("localhost")]
    [InlineData(" 10.0.0.1")]
    [InlineData("10.0.0.1 ")]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.1 .443")]
    [InlineData("10.0.0.1 . ")]
    [InlineData("10.0.0.1/33")]
    [InlineData("10.0.0.1/08")]
    [InlineData("022")]
    [InlineData("65536")]
    [InlineData("10.0.0.1 - 10.0.0.2")]
    [InlineData("10.0.0.1-22")]
    [InlineData("10.0.0.1 : accept")]
    [InlineData("10.0.0.1 timeout 1h")]
    [InlineData("{ 10.0.0.1 }")]
    [InlineData("10.0.0.1; flush ruleset")]
    [InlineData("")]
    public void AnythingButTheCanonicalFormsGoesToTheCompiler(string text)
    {
        Assert.False(PackedElements.IsCandidate(text));
        foreach (var set in new[] { Set("ipv4_addr"), Set("inet_service"), Set("ipv4_addr . inet_service") })
            Assert.False(PackedElements.For(set, adding: true)!.TryKey(text, out _), text);
        Assert.False(PackedElements.For(Set("ipv4_addr", interval: true), adding: true)!.TryRange(text, out _, out _), text);
    }

    [Fact]
    public void AValueOfAnotherTypeIsNotAKey()
    {
        Assert.False(PackedElements.For(Set("ipv4_addr"), true)!.TryKey("22", out _));
        Assert.False(PackedElements.For(Set("ipv4_addr"), true)!.TryKey("10.0.0.0/8", out _)); // intervals need the flag: the compiler says so
        Assert.False(PackedElements.For(Set("inet_service"), true)!.TryKey("10.0.0.1", out _));
        Assert.False(PackedElements.For(Set("ipv4_addr . inet_service"), true)!.TryKey("10.0.0.1", out _));
        Assert.False(PackedElements.For(Set("ipv4_addr . inet_service"), true)!.TryKey("10.0.0.1 . 22 . 1", out _));
        Assert.False(PackedElements.For(Set("inet_service", interval: true), true)!.TryRange("10.0.0.0/8", out _, out _));
        Assert.Null(PackedElements.For(Set("ipv6_addr"), true));
        Assert.Null(PackedElements.For(Set("mark"), true));
        Assert.Null(PackedElements.For(SetDeclarations.FromType("s", "ipv4_addr", "verdict"), true));
        Assert.Null(PackedElements.For(Set("ipv4_addr . inet_service", interval: true), true));
        Assert.Null(PackedElements.For(Set("ipv4_addr", interval: true), adding: false));
    }

    private const string Sets = """
        table ip t {
        	set c {
        		type ipv4_addr . inet_service
        	}
        	set pr {
        		type inet_service
        		flags interval
        	}
        	set am {
        		type ipv4_addr
        		flags interval
        		auto-merge
        	}
        }
        """;

    private static readonly string[] Prefixes = Enumerable.Range(0, 41).Select(i => $"10.{i}.0.0/16")
        .Concat(new[] { "192.168.1.5-192.168.1.9", "172.16.0.1", "0.0.0.0/8", "255.255.255.0/24" }).ToArray();

    [KernelFact]
    public void TheKernelHoldsWhatNftWouldHaveAdded()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Sets).EnsureSuccess("nft -f");
        var r = host.Run($$"""
            $p = @{ NetworkNamespace = $ns; Table = 't' }
            New-NftSet @p -Name iv -Type ipv4_addr -Flags interval -Element @('{{string.Join("','", Prefixes)}}')
            New-NftSet @p -Name plain -Type ipv4_addr -Element (0..30 | % { "10.0.0.$_" })
            (0..30 | % { "$(1000 + $_ * 10)-$(1005 + $_ * 10)" }) + '65000-65535', '22' | Add-NftSetElement @p -Set pr
            '10.0.0.1 . 443', '10.0.0.2 . 80', '1.2.3.4 . 0' | Add-NftSetElement @p -Set c
            Add-NftSetElement @p -Set am -Element '10.0.0.0/25', '10.0.0.128/25', '10.0.0.5', '10.0.3.0-10.0.4.255', '10.0.4.0/24'
            Remove-NftSetElement @p -Set c -Element '10.0.0.2 . 80'
            """);
        Assert.False(r.HadErrors, r.Describe());
        string ours = _fx.Namespace.NftListRuleset();
        string oursBytes = Bytes();

        _fx.Namespace.Flush();
        string ports = string.Join(", ", Enumerable.Range(0, 31).Select(i => $"{1000 + i * 10}-{1005 + i * 10}"));
        string plain = string.Join(", ", Enumerable.Range(0, 31).Select(i => $"10.0.0.{i}"));
        _fx.Namespace.NftLoad(Sets + $$"""

            add set ip t iv { type ipv4_addr; flags interval; }
            add element ip t iv { {{string.Join(", ", Prefixes)}} }
            add set ip t plain { type ipv4_addr; }
            add element ip t plain { {{plain}} }
            add element ip t pr { {{ports}}, 65000-65535, 22 }
            add element ip t c { 10.0.0.1 . 443, 10.0.0.2 . 80, 1.2.3.4 . 0 }
            add element ip t am { 10.0.0.0/25, 10.0.0.128/25, 10.0.0.5, 10.0.3.0-10.0.4.255, 10.0.4.0/24 }
            delete element ip t c { 10.0.0.2 . 80 }
            """).EnsureSuccess("nft -f");
        Assert.Equal(_fx.Namespace.NftListRuleset(), ours);
        // The elements' bytes as the kernel holds them (keys, interval-end flags).
        Assert.Equal(Bytes(), oursBytes);
    }

    private string Bytes()
    {
        var r = _fx.Namespace.Nft("--debug=netlink", "list", "ruleset").EnsureSuccess("nft --debug=netlink list ruleset");
        // A hash set lists its elements in the kernel's hash order (seeded per set): compare the lines sorted.
        var lines = (r.StdOut + r.StdErr).Split('\n').ToList();
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    [KernelFact]
    public void RefusalsAreTheCompilers()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Sets + "\nadd set ip t iv { type ipv4_addr; flags interval; }\nadd element ip t iv { 10.9.0.0/16 }\n").EnsureSuccess("nft -f");
        string before = _fx.Namespace.NftListRuleset();
        foreach (var (set, text, expected) in new[]
                 {
                     ("c", "10.0.0.1 }", "10.0.0.1 }"),
                     ("iv", "1.2.3.4, 5.6.7.8", "1.2.3.4, 5.6.7.8"),
                     ("iv", "@x", "@x"),
                     ("iv", "$x", "$x"),
                     ("iv", "accept", "accept"),
                     ("iv", "10.0.0.1 . 443", "datatype mismatch"),
                     ("c", "10.0.0.0/8", "datatype mismatch"),
                     ("pr", "10.0.0.1", "Could not resolve service"),
                     ("iv", "10.0.0.9-10.0.0.1", "10.0.0.9-10.0.0.1"),
                     ("iv", "10.9.1.0/24", "overlaps"),
                 })
        {
            var r = host.Run($"'10.1.0.0/16', '{text.Replace("'", "''")}' | Add-NftSetElement -NetworkNamespace $ns -Table t -Set {set}");
            Assert.True(r.HadErrors, text);
            Assert.True(r.Describe().Contains(expected, StringComparison.Ordinal), $"{text}: {r.Describe()}");
            Assert.Equal(before, _fx.Namespace.NftListRuleset());
        }
        // Conflicts among the new elements themselves, in New-NftSet's long lists and in a pipeline.
        var conflict = host.Run("New-NftSet -NetworkNamespace $ns -Table t -Name bad -Type ipv4_addr -Flags interval -Element ((0..30 | % { \"10.$_.0.0/16\" }) + '10.1.2.0/24')");
        Assert.True(conflict.HadErrors);
        Assert.Contains("conflicting intervals specified: 10.1.2.0/24 overlaps 10.1.0.0/16", conflict.Describe());
        var piped = host.Run("'10.20.0.0/16', '10.20.3.0/24' | Add-NftSetElement -NetworkNamespace $ns -Table t -Set iv");
        Assert.True(piped.HadErrors);
        Assert.Contains("conflicting intervals", piped.Describe());
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }
}
