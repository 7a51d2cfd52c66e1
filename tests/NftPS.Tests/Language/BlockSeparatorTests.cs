using System.Text.RegularExpressions;
using NftPS.Language.Script;
using NftPS.Language.Syntax;
using NftPS.Tests.Conformance;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Language;

/// <summary>nft 1.0.6's block grammars (table, chain, set, map, flowtable, ct helper/timeout/expectation) end every
/// item with a newline or `;`, so a block's `}` straight after an item is a syntax error there; set `elements = { … }`
/// and the one-spec blocks of counter, quota, limit and synproxy need no separator of their own. Each refused text
/// gets nft's message with the caret at the same column; the kernel theories prove the expectations against nft.</summary>
public partial class BlockSeparatorTests
{
    private const string Plain = "syntax error, unexpected '}', expecting newline or semicolon";

    /// <summary>Text, nft's first error column, nft's first error message (measured with nft -c in a namespace).</summary>
    public static TheoryData<string, int, string> Refused() => new()
    {
        { "table ip t { chain c { type filter hook input priority 0; } }", 61, Plain },
        { "table ip t { chain c { } }", 26, Plain },
        { "table ip t { chain c { accept } ; }", 31, Plain },
        { "table ip t { chain c { type filter hook input priority 0 } ; }", 58, Plain },
        { "table ip t { chain c { type filter hook input priority 0; policy accept } ; }", 73, Plain },
        { "table ip t { chain c { comment \"x\" } ; }", 36, Plain },
        { "table ip t { flags dormant }", 28, Plain },
        { "table ip t { comment \"x\" }", 26, Plain },
        { "table ip t { counter c { packets 1 bytes 2 } }", 46, Plain },
        { "table ip t { quota q { 25 mbytes } }", 36, Plain },
        { "table ip t { limit l { rate 10/second } }", 41, Plain },
        { "table ip t { synproxy s { mss 1460 wscale 7 } }", 47, Plain },
        { "table ip t { set s { type ipv4_addr } ; }", 37, Plain + " or ." },
        { "table ip t { map m { type ipv4_addr : ipv4_addr } ; }", 49, Plain + " or ." },
        { "table ip t { set s { type ipv4_addr; flags interval } ; }", 53, Plain + " or comma" },
        { "table ip t { set s { type ipv4_addr; size 10 } ; }", 46, Plain },
        { "table ip t { set s { type ipv4_addr; } }", 40, Plain },
        { "table ip t { set s { type ipv4_addr; elements = { 1.2.3.4 } } }", 63, Plain },
        { "table ip t { flowtable f { hook ingress priority 0 } ; }", 52, Plain },
        { "table ip t { flowtable f { hook ingress priority 0; devices = { lo } } ; }", 70, Plain },
        { "table ip t { ct helper h { type \"ftp\" protocol tcp } ; }", 52, Plain },
        { "table ip t { ct helper h { type \"ftp\" protocol tcp; l3proto ip } ; }", 64, Plain },
        { "table ip t { ct helper h { type \"ftp\" protocol tcp; } }", 55, Plain },
        { "table ip t { ct timeout h { protocol tcp; policy = { established: 100 } } ; }", 73, Plain },
        { "table ip t { ct expectation e { protocol tcp; dport 22; timeout 10s; size 5; l3proto ip } ; }", 89, Plain },
        { "add table ip t\nadd ct helper ip t h { type \"ftp\" protocol tcp }", 48, Plain },
        { "add table ip t\nadd set ip t s { type ipv4_addr }", 33, Plain + " or ." },
        { "add table ip t\nadd chain ip t c { type filter hook input priority 0 }", 54, Plain },
    };

    /// <summary>Texts nft's parser takes (the one-spec object blocks and `elements = { … }` need no separator; the
    /// top-level `}` may end the input without a newline).</summary>
    public static TheoryData<string> Accepted() => new()
    {
        "table ip t { chain c { type filter hook input priority 0; }\n}",
        "table ip t { chain c { accept; } ; }",
        "table ip t { chain c { accept\n} ; }",
        "table ip t { chain c { accept; }; }",
        "table ip t {\n\tchain c {\n\t\taccept\n\t}\n}",
        "table ip t { }",
        "table ip t { chain c { } ; }",
        "table ip t { flags dormant; }",
        "table ip t { set s { type ipv4_addr; } ; }",
        "table ip t { map m { type ipv4_addr : ipv4_addr; } ; }",
        "table ip t { set s { type ipv4_addr; elements = { 1.2.3.4 } } ; }",
        "table ip t { set s { type ipv4_addr; elements = { 1.2.3.4 }\n } ; }",
        "table ip t { set s { type ipv4_addr; elements = { 1.2.3.4 } size 10; } ; }",
        "table ip t { counter c { packets 1 bytes 2 } ; }",
        "table ip t { counter c { packets 1 bytes 2; }; }",
        "table ip t { counter c { } ; }",
        "table ip t { quota q { 25 mbytes } ; }",
        "table ip t { limit l { rate 10/second } ; }",
        "table ip t { synproxy s { mss 1460 wscale 7 } ; }",
        "table ip t { ct helper h { type \"ftp\" protocol tcp; } ; }",
        "table ip t { ct helper h { type \"ftp\" protocol tcp; l3proto ip; } ; }",
        "table ip t { ct timeout h { protocol tcp; policy = { established: 100 }; } ; }",
        "table ip t { ct expectation e { protocol tcp; dport 22; timeout 10s; size 5; l3proto ip; } ; }",
        "add table ip t\nadd counter ip t c { packets 1 bytes 2 }",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void An_item_without_a_separator_before_the_blocks_brace_is_refused_as_nft_does(string text, int column, string message)
    {
        var e = Assert.Throws<NftSyntaxException>(() => NftScript.Parse(text));
        Assert.Equal((message, text.Split('\n').Length, column), (e.Reason, e.Line, e.Column));
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Items_ended_by_a_separator_still_parse(string text) => NftScript.Parse(text);

    [GeneratedRegex(@"^/dev/stdin:(\d+):(\d+)-\d+: Error: (.*)$", RegexOptions.Multiline)]
    private static partial Regex NftError();

    /// <summary>nft -c says the same: the first error, its line, column and message.</summary>
    [KernelTheory]
    [MemberData(nameof(Refused))]
    public void Nft_refuses_the_same_texts_at_the_same_place(string text, int column, string message)
    {
        using var ns = new ScratchNamespace("sep");
        var r = NftRunner.Nft(ns.Name, new[] { "-c", "-f", "-" }, text);
        Assert.NotEqual(0, r.ExitCode);
        var m = NftError().Match(r.StdErr);
        Assert.True(m.Success, r.StdErr);
        Assert.Equal((message, text.Split('\n').Length, column), (m.Groups[3].Value, int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)));
    }

    /// <summary>nft's parser takes the accepted texts (the kernel may still refuse an object it lacks a module for,
    /// which is no syntax error).</summary>
    [KernelTheory]
    [MemberData(nameof(Accepted))]
    public void Nft_parses_the_accepted_texts(string text)
    {
        using var ns = new ScratchNamespace("sep");
        var r = NftRunner.Nft(ns.Name, new[] { "-c", "-f", "-" }, text);
        Assert.DoesNotContain("syntax error", r.StdErr);
    }
}
