using System.Text.Json;
using NftPS.Automation;

namespace NftPS.Tests.Automation;

/// <summary>One in-process run of nftps: its exit code, stdout and stderr, and stdout parsed as JSON when it is.</summary>
public sealed record NftpsResult(int ExitCode, string StdOut, string StdErr)
{
    public JsonElement Json => JsonDocument.Parse(StdOut).RootElement;

    public NftpsResult Expect(int code)
    {
        Assert.True(ExitCode == code, $"exit {ExitCode} (expected {code})\nstdout: {StdOut}\nstderr: {StdErr}");
        return this;
    }
}

public static class Nftps
{
    public static NftpsResult Run(string? stdin, params string[] args) => RunWith(new NftpsHost(), stdin, args);

    public static NftpsResult RunWith(NftpsHost host, string? stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = NftpsCli.Run(args, new StringReader(stdin ?? ""), output, error, host);
        return new NftpsResult(code, output.ToString(), error.ToString());
    }
}
