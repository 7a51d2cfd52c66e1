using System.Text.Json;
using NftPS.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Automation;

/// <summary>nftps in-process, without the kernel: the command line, the parameter object, and every error path
/// that ends before netlink (usage 2, invalid desired state 3) — with nothing on stdout when it fails.</summary>
public sealed class NftpsCliTests
{
    [Fact]
    public void HelpAndNoArgumentsPrintUsage()
    {
        var help = Nftps.Run(null, "--help").Expect(ExitCodes.Success);
        Assert.Contains("usage: nftps", help.StdOut);
        Assert.Contains("exit codes", help.StdOut);
        Assert.Contains("usage: nftps", Nftps.Run(null).Expect(ExitCodes.Success).StdOut);
        Assert.StartsWith("nftps ", Nftps.Run(null, "--version").Expect(ExitCodes.Success).StdOut);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("test", "--bogus")]
    [InlineData("test", "--path")]
    [InlineData("test", "--path", "a", "--text", "b")]
    [InlineData("set", "--confirm-within", "soon", "--text", "table ip t {}")]
    [InlineData("set", "--confirm-within", "0", "--text", "table ip t {}")]
    [InlineData("set", "--confirm-within", "2d", "--text", "table ip t {}")]
    [InlineData("set", "--max-retries", "-1", "--text", "table ip t {}")]
    [InlineData("get", "--format", "yaml", "--text", "table ip t {}")]
    [InlineData("test", "extra", "--text", "table ip t {}")]
    [InlineData("confirm", "not-an-id")]
    [InlineData("undo")]
    public void BadCommandLinesAreUsageErrors(params string[] args)
    {
        var r = Nftps.Run(null, args).Expect(ExitCodes.Usage);
        Assert.Equal("", r.StdOut);
        Assert.NotEqual("", r.StdErr.Trim());
    }

    [Theory]
    [InlineData("test")]
    [InlineData("set")]
    [InlineData("diff")]
    [InlineData("validate")]
    [InlineData("get")]
    public void ADesiredStateIsRequired(string command)
    {
        var r = Nftps.Run("   \n", command).Expect(ExitCodes.Usage);
        Assert.Contains("needs a desired state", r.StdErr);
    }

    [Theory]
    [InlineData("test")]
    [InlineData("set")]
    [InlineData("validate")]
    public void AParseErrorShowsTheCaretAndExits3(string command)
    {
        var r = Nftps.Run(null, command, "--text", "table inet web { chain c { tcp dport 22 acept; }; }").Expect(ExitCodes.InvalidDesiredState);
        Assert.Equal("", r.StdOut);
        Assert.Contains("Error:", r.StdErr);
        Assert.Contains("^", r.StdErr);
        Assert.Contains("acept", r.StdErr);
    }

    [Fact]
    public void AParseErrorFromStdinAndFromAFileNamesThePosition()
    {
        var r = Nftps.Run("table inet web {\n chain c {\n  ip saddr 10.0.0.300 accept\n }\n}\n", "test").Expect(ExitCodes.InvalidDesiredState);
        Assert.Contains("10.0.0.300", r.StdErr);
        string file = Path.Combine(Path.GetTempPath(), $"nftps-{Guid.NewGuid():N}.nft");
        File.WriteAllText(file, "table inet web {\n chain c {\n  tcp dport 22 acept\n }\n}\n");
        try
        {
            var f = Nftps.Run(null, "test", "--path", file).Expect(ExitCodes.InvalidDesiredState);
            Assert.Contains(file + ":3:", f.StdErr);
            Assert.Contains("^", f.StdErr);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void AMissingFileIsAnInvalidDesiredState()
    {
        var r = Nftps.Run(null, "test", "--path", "/nonexistent/nftps/rules.nft").Expect(ExitCodes.InvalidDesiredState);
        Assert.Contains("/nonexistent/nftps/rules.nft", r.StdErr);
    }

    [Fact]
    public void BadJsonIsRefused()
    {
        Nftps.Run("{not json", "test").Expect(ExitCodes.Usage);
        Nftps.Run("[1,2]", "test", "--json").Expect(ExitCodes.Usage);
        var r = Nftps.Run(null, "test", "--json", "--text", "{\"nftables\": [{\"rule\": {\"family\": \"inet\"}}]}");
        Assert.Equal(ExitCodes.InvalidDesiredState, r.ExitCode);
    }

    [Theory]
    [InlineData("{\"tables\": 5}")]
    [InlineData("{\"tables\": \"table ip t {}\", \"purge\": \"yes\"}")]
    [InlineData("{\"tables\": \"table ip t {}\", \"netns\": 3}")]
    [InlineData("{\"tables\": \"table ip t {}\", \"purgeAll\": true}")]
    [InlineData("{\"tables\": \"table ip t {}\", \"confirmWithin\": -1}")]
    [InlineData("{\"tables\": \"table ip t {}\", \"includePath\": \"/etc\"}")]
    [InlineData("{\"purge\": false}")]
    public void BadParameterObjectsAreUsageErrors(string json)
    {
        var r = Nftps.Run(json, "test").Expect(ExitCodes.Usage);
        Assert.Equal("", r.StdOut);
    }

    [Fact]
    public void TheParameterObjectAndTheCommandLineMustAgreeOnTheNamespace()
    {
        var r = Nftps.Run("{\"tables\": \"table ip t {}\", \"netns\": \"a\"}", "test", "--netns", "b").Expect(ExitCodes.Usage);
        Assert.Contains("disagree", r.StdErr);
    }

    [Fact]
    public void ErrorsCanBeJsonLines()
    {
        var r = Nftps.Run(null, "test", "--json-errors", "--text", "table inet web { chain c { acept; }; }").Expect(ExitCodes.InvalidDesiredState);
        var line = JsonDocument.Parse(r.StdErr.Trim()).RootElement;
        Assert.Contains("acept", line.GetProperty("error").GetString());
        Assert.Equal(ExitCodes.InvalidDesiredState, line.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void AMissingNamespaceIsAKernelSideError()
    {
        var r = Nftps.Run(null, "test", "--netns", "nftps-absent-" + Guid.NewGuid().ToString("N")[..8], "--text", "table ip t {}")
            .Expect(ExitCodes.KernelRefused);
        Assert.Contains("was not found", r.StdErr);
        // A name is a name under /run/netns: a path made of one must be refused before any namespace is entered.
        var path = Nftps.Run(null, "test", "--netns", "../../proc/1/ns/net", "--text", "table ip t {}")
            .Expect(ExitCodes.InvalidDesiredState);
        Assert.Contains("may not contain '/'", path.StdErr);
    }

    [Fact]
    public void APendingChangeThatDoesNotExistIsExit6()
    {
        string root = Path.Combine(Path.GetTempPath(), "nftps-store-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var host = new NftpsHost { StoreRoot = root };
            var r = Nftps.RunWith(host, null, "confirm", "0123456789abcdef").Expect(ExitCodes.PendingChangeNotFound);
            Assert.Equal("NotFound", r.Json.GetProperty("result").GetString());
            Assert.Equal(0, Nftps.RunWith(host, null, "pending").Expect(ExitCodes.Success).Json.GetProperty("pending").GetArrayLength());
            Nftps.RunWith(host, null, "rollback-agent").Expect(ExitCodes.Usage);
        }
        finally { if (Directory.Exists(root)) Directory.Delete(root, recursive: true); }
    }

    [Theory]
    [InlineData("90", 90_000)]
    [InlineData("2.5", 2_500)]
    [InlineData("500ms", 500)]
    [InlineData("90s", 90_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    public void ConfirmWindowsTakeNftpsUnits(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), CliOptions.ParseWindow(text, "--confirm-within"));
}
