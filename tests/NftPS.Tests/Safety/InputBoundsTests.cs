using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Script;
using NftPS.Language.Syntax;
using NftPS.Netlink;
using NftPS.NfTables;

namespace NftPS.Tests.Safety;

/// <summary>Input sizes are bounded with errors that say so: ruleset files (and includes) at 64 MiB, so /dev/zero is
/// not read until memory runs out; include nesting at nft's 16; a netlink attribute at its 64 KiB frame.</summary>
public sealed class InputBoundsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nftps-bounds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Include_of_dev_zero_is_refused_as_too_large_at_the_include()
    {
        // In a child: were the bound lost, reading /dev/zero would exhaust memory and kill the process.
        string outcome = FuzzToolProcess.Try("script", "include \"/dev/zero\"\n");
        Assert.StartsWith("refused (NftSyntaxException", outcome);
        Assert.Contains("larger than 64 MiB", outcome);
        Assert.Contains("include \"/dev/zero\"", outcome);
    }

    [Fact]
    public void A_file_over_the_bound_is_refused_and_one_under_it_is_read()
    {
        string big = Path.Combine(_dir, "big.nft");
        using (var f = File.Create(big)) f.SetLength(SourceFile.MaxBytes + 1);
        var e = Assert.Throws<NftInputFileException>(() => SourceFile.Read(big));
        Assert.Equal(NftInputFileProblem.TooLarge, e.Problem);
        Assert.Contains("64 MiB", e.Message);

        string ok = Path.Combine(_dir, "ok.nft");
        File.WriteAllText(ok, "add table ip t\n");
        Assert.Equal("add table ip t\n", SourceFile.Read(ok));
    }

    [Fact]
    public void A_directory_and_a_missing_file_are_named_problems_not_dotnet_exceptions()
    {
        Assert.Equal(NftInputFileProblem.IsDirectory, Assert.Throws<NftInputFileException>(() => SourceFile.Read(_dir)).Problem);
        var missing = Assert.Throws<NftInputFileException>(() => SourceFile.Read(Path.Combine(_dir, "nope.nft")));
        Assert.Equal(NftInputFileProblem.NotFound, missing.Problem);
        Assert.Contains("nope.nft", missing.Message);
    }

    /// <summary>inc0 includes inc1 … up to inc<paramref name="files"/>-1, which adds a table.</summary>
    private string IncludeChain(int files)
    {
        for (int i = 0; i < files - 1; i++)
            File.WriteAllText(Path.Combine(_dir, $"inc{i}.nft"), $"include \"inc{i + 1}.nft\"\n");
        File.WriteAllText(Path.Combine(_dir, $"inc{files - 1}.nft"), "add table ip deep\n");
        return Path.Combine(_dir, "inc0.nft");
    }

    [Fact]
    public void Sixteen_files_deep_of_includes_load_as_in_nft()
    {
        var script = NftScript.ParseFile(IncludeChain(16));
        Assert.Single(script.Commands);
    }

    [Fact]
    public void Seventeen_files_deep_is_refused_with_nfts_message_at_the_include()
    {
        var e = Assert.Throws<NftSyntaxException>(() => NftScript.ParseFile(IncludeChain(17)));
        Assert.Equal("Include nested too deeply, max 16 levels", e.Reason);
        Assert.EndsWith("inc15.nft", e.File);
        // nft underlines the whole statement.
        Assert.Equal(1, e.Column);
        Assert.Equal("include \"inc16.nft\"".Length, e.Length);
    }

    [Fact]
    public void An_attribute_over_64_KiB_is_a_size_error_not_an_overflow()
    {
        var w = new NetlinkWriter(128);
        int nest = w.BeginNested(1);
        for (int i = 0; i < 20; i++) w.WriteBytes(2, new byte[4000]);
        Assert.Throws<NetlinkSizeException>(() => w.EndNested(nest));
        Assert.Throws<NetlinkSizeException>(() => new NetlinkWriter(128).WriteBytes(1, new byte[70_000]));
    }

    [Fact]
    public void A_rule_too_large_for_netlink_fails_when_encoded_with_a_size_error()
    {
        // 131,072 counters (nft itself aborts with a double free): the rule's expression list cannot be framed.
        var rule = RuleCompiler.Compile(string.Concat(Enumerable.Repeat("counter ", 131_072)),
            new CompileContext { Family = NftFamily.Ip, Table = "t", Chain = "c" });
        var batch = new NftBatch();
        RuleCompiler.QueueRule(batch, rule, NftFamily.Ip, "t", "c");
        var e = Assert.Throws<NetlinkSizeException>(() => batch.Encode(1, new BatchOptions()));
        Assert.Contains("65,535", e.Message);
    }
}
