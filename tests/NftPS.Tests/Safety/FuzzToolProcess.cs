using System.Reflection;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>tools/NftPS.Fuzz's `-Try` mode as a child process: one input through the rule compiler, the nft file parser
/// or the JSON reader. Deep input that overflowed the stack would kill the child (exit 134), failing the test that
/// sent it while the test host lives on.</summary>
public static class FuzzToolProcess
{
    public static string ToolPath { get; } = typeof(FuzzToolProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "NftPS.Fuzz").Value!;

    /// <summary>The outcome line and message the child printed ("refused (NftSyntaxException, N ms):\n…" or
    /// "accepted (N ms)"); fails when the child crashed or died.</summary>
    public static string Try(string target, string text, string? family = null)
    {
        string file = Path.Combine(Path.GetTempPath(), $"nftps-try-{Guid.NewGuid():N}.txt");
        File.WriteAllText(file, text);
        try
        {
            var args = new List<string> { ToolPath, "-Try", target };
            if (family is not null) args.Add(family);
            args.Add("@" + file);
            var r = ProcessRunner.Run("dotnet", args);
            Assert.True(r.ExitCode == 0, $"the child exited with {r.ExitCode} (134 is a stack overflow):\n{Head(r.StdOut)}\n{Head(r.StdErr)}");
            Assert.DoesNotContain("CRASH", r.StdOut);
            return r.StdOut;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Head(string s) => s.Length > 3000 ? s[..3000] + "…" : s;
}
