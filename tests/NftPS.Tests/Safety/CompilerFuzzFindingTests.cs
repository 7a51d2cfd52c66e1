using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Script;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;

namespace NftPS.Tests.Safety;

/// <summary>Inputs the compiler fuzzer found raising .NET exceptions (InvalidCast, Overflow, Format, NullReference,
/// IndexOutOfRange): each is now compiled exactly as nft 1.0.6 compiles it, or refused with nft's message and a caret.</summary>
public class CompilerFuzzFindingTests
{
    private static CompiledRule Compile(string rule, NftFamily family = NftFamily.Ip) =>
        RuleCompiler.Compile(rule, new CompileContext { Family = family, Table = "t", Chain = "c" });

    private static NftLanguageException Refused(string rule, NftFamily family = NftFamily.Ip) =>
        Assert.ThrowsAny<NftLanguageException>(() => Compile(rule, family));

    /// <summary>payload, cmp gte LOW, cmp lte HIGH (one byte each): what `nft --debug=netlink` shows as
    /// `[ cmp gte reg 1 0x000000LL ]` `[ cmp lte reg 1 0x000000HH ]`.</summary>
    private static void AssertTtlRange(CompiledRule r, byte low, byte high)
    {
        Assert.Equal(new[] { "payload", "cmp", "cmp" }, r.Expressions.Select(e => e.Name));
        Assert.StartsWith("[ payload load 1b @ network header + 8 => reg 1 ]", r.Expressions[0].ToDebugString());
        var gte = Assert.IsType<CmpExpression>(r.Expressions[1]);
        var lte = Assert.IsType<CmpExpression>(r.Expressions[2]);
        Assert.Equal(CmpOperator.Gte, gte.Operator);
        Assert.Equal(new[] { low }, gte.Data);
        Assert.Equal(CmpOperator.Lte, lte.Operator);
        Assert.Equal(new[] { high }, lte.Data);
    }

    [Fact]
    public void Range_with_an_or_bound_compiles_as_nft_does()
    {
        // nft 1.0.6 --debug=netlink: `ip ttl 1-2 | 3` is the range 1-(2|3), listed back as `ip ttl 1-3`.
        AssertTtlRange(Compile("ip ttl 1-2 | 3"), 1, 3);
        // `1 | 2-3 & 7`: both bounds are whole or-expressions (3-3).
        AssertTtlRange(Compile("ip ttl 1 | 2-3 & 7"), 3, 3);
    }

    [Fact]
    public void Prefix_of_a_range_is_nfts_syntax_error_at_the_slash()
    {
        var e = Refused("ip ttl 33-44/1");
        Assert.IsType<NftSyntaxException>(e);
        Assert.Equal(13, e.Column);
        Assert.Contains("unexpected /", e.Reason);
    }

    [Fact]
    public void A_range_inside_parentheses_is_refused_not_cast()
    {
        Assert.IsType<NftSyntaxException>(Refused("ip ttl (1-2) | 3"));
    }

    [Theory]
    [InlineData("@th,0,2147483648 1", "value too large")]
    [InlineData("@th,0,4294967296 1", "value too large")]
    [InlineData("@th,4294967296,8 1", "value too large")]
    [InlineData("@th,0,129 1", "raw payload length exceeds 128 bits")]
    public void Raw_payload_lengths_and_offsets_that_do_not_fit_are_refused(string rule, string reason)
    {
        var e = Refused(rule);
        Assert.Equal(reason, e.Reason);
        Assert.Contains("^", e.Message);
    }

    [Fact]
    public void Time_too_large_is_nfts_value_too_large_under_the_number()
    {
        var e = Refused("ct expiration 18446744073709551616");
        Assert.Equal("value too large", e.Reason);
        Assert.Equal("Error: value too large\nct expiration 18446744073709551616\n              ^^^^^^^^^^^^^^^^^^^^", e.Message);
        Assert.Equal("value too large", Refused("ct expiration 99999999999999999d").Reason);
    }

    [Fact]
    public void Empty_time_string_is_a_time_format_error_with_a_caret()
    {
        var e = Refused("ct expiration \"\"");
        Assert.Equal("Wrong time format, expecting [d][h][m][s][ms]", e.Reason);
        Assert.Equal(15, e.Column);
    }

    [Theory]
    [InlineData("fwd")]
    [InlineData("dup")]
    public void Dup_and_fwd_without_a_target_are_syntax_errors(string rule)
    {
        Assert.IsType<NftSyntaxException>(Refused(rule, NftFamily.Netdev));
    }

    [Fact]
    public void A_string_used_as_a_bit_mask_is_refused()
    {
        Refused("meta oifname 0/ \"dummy*\"", NftFamily.Bridge);
    }

    [Fact]
    public void Spnum_out_of_range_is_nfts_value_too_large_after_the_key()
    {
        Assert.Equal("value too large", Refused("ipsec out spnum 256 ip saddr 1.1.1.1").Reason);
        // The missing key is reported first, as nft does.
        Assert.StartsWith("syntax error", Refused("ipsec out spnum 0x100000000").Reason);
    }

    [Fact]
    public void Comment_longer_than_nfts_128_bytes_is_refused_in_the_parser()
    {
        var e = Refused("counter comment \"" + new string('a', 129) + "\"");
        Assert.StartsWith("comment too long, 128 characters maximum allowed", e.Reason);
        Compile("counter comment \"" + new string('a', 128) + "\"");
        var s = Assert.ThrowsAny<NftLanguageException>(() =>
            NftScript.Parse("table ip t {\n\tcounter c {\n\t\tcomment \"" + new string('x', 300_000) + "\"\n\t}\n}\n").QueueOn(new NftBatch()));
        Assert.StartsWith("comment too long, 128 characters maximum allowed", s.Reason);
    }

    [Theory]
    [InlineData("filter + 99999999999")]
    [InlineData("raw - 2147483647")]
    [InlineData("2147483648")]
    [InlineData("-2147483649")]
    public void Chain_priorities_outside_32_bits_are_refused_not_wrapped(string priority)
    {
        // nft silently wraps `raw - 2147483647` to 2147483349; a priority that is not what was written is refused.
        string text = $"table ip t {{\n\tchain c {{\n\t\ttype filter hook input priority {priority}; policy accept;\n\t}}\n}}\n";
        var e = Assert.ThrowsAny<NftLanguageException>(() => NftScript.Parse(text).QueueOn(new NftBatch()));
        Assert.Contains("priority value out of range", e.Reason);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Priorities_at_the_32_bit_edges_are_kept()
    {
        foreach (string p in new[] { "-2147483648", "2147483647", "raw + 2147483647", "filter - 2147483648" })
        {
            string text = $"table ip t {{\n\tchain c {{\n\t\ttype filter hook input priority {p}; policy accept;\n\t}}\n}}\n";
            NftScript.Parse(text).QueueOn(new NftBatch());
        }
    }

    [Fact]
    public void Synproxy_and_expectation_numbers_that_do_not_fit_are_refused()
    {
        Assert.ThrowsAny<NftLanguageException>(() => NftScript.Parse(
            "table ip t {\n\tsynproxy p {\n\t\tmss 1460\n\t\twscale timestamp sack-perm\n\t}\n}\n").QueueOn(new NftBatch()));
        Assert.ThrowsAny<NftLanguageException>(() => NftScript.Parse(
            "table ip t {\n\tct expectation e {\n\t\tprotocol tcp\n\t\tdport 22\n\t\ttimeout 99999999d\n\t\tsize 12\n\t}\n}\n").QueueOn(new NftBatch()));
    }

    [Theory]
    [InlineData("meta time > \"0022-07-01 11:00:00\" accept")]
    [InlineData("meta time > \"2600-07-01 11:00:00\" accept")]
    [InlineData("meta time > -5 accept")]
    public void Dates_outside_64_bit_nanoseconds_since_1970_are_refused(string rule)
    {
        // nft wraps them silently (0022-07-01 is listed back as 2360-09-18).
        Assert.Contains("out of range", Refused(rule, NftFamily.Arp).Reason);
    }

    [Fact]
    public void A_bad_statement_inside_a_set_element_is_reported_with_its_position()
    {
        var e = Assert.ThrowsAny<NftLanguageException>(() => NftScript.Parse(
            "table netdev filter {\n\tset s {\n\t\ttypeof ip saddr\n\t\telements = { 1.2.3.4 limit rate over 1 mbes/second }\n\t}\n}\n")
            .QueueOn(new NftBatch()));
        Assert.Equal(4, e.Line);
        Assert.Contains("^", e.Message);
    }

    [Fact]
    public void An_error_in_a_huge_line_quotes_a_window_around_the_caret()
    {
        // A 50 MB token used to come back as a 50 MB message; the location keeps the real column.
        string token = new string('a', 200_000);
        var e = Refused("ip ttl 1 " + token + " accept");
        Assert.True(e.Message.Length < 1000, $"message of {e.Message.Length} characters");
        Assert.Equal(10, e.Column);
        var lines = e.Message.Split('\n');
        Assert.EndsWith("…", lines[1]);
        Assert.Equal(lines[2].IndexOf('^'), lines[1].IndexOf('a'));

        string deep = "ip ttl " + new string('(', 5000) + "1" + new string(')', 5000);
        var d = Refused(deep);
        var dl = d.Message.Split('\n');
        Assert.StartsWith("…", dl[1]);
        Assert.Equal('(', dl[1][dl[2].IndexOf('^')]);
        Assert.True(d.Message.Length < 1000);
    }

    [Fact]
    public void Unicode_digits_are_not_numbers()
    {
        Refused("limit rate over \u0663bytes/second");
        Refused("meta hour \"\u0661\u0662:00\"");
    }
}
