using System.Diagnostics;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Observe;

/// <summary>ulogd2 (Debian package ulogd2) run for real inside a private namespace, with its own config in a temporary
/// directory: bound to one NFLOG group, writing what it receives as text lines (LOGEMU) to a file. Killed on dispose.</summary>
internal sealed class UlogdProcess : IDisposable
{
    public const string Program = "/usr/sbin/ulogd";
    private const string PluginDirectory = "/usr/lib/x86_64-linux-gnu/ulogd";
    private readonly Process _process;
    private readonly string _directory;

    public static string? UnavailableReason =>
        !File.Exists(Program) ? "ulogd2 is not installed (apt-get install ulogd2)"
        : !Directory.Exists(PluginDirectory) ? $"ulogd2's plugins are not in {PluginDirectory}" : null;

    public UlogdProcess(string networkNamespace, ushort group)
    {
        _directory = Directory.CreateTempSubdirectory("nftps-ulogd-").FullName;
        LogFile = Path.Combine(_directory, "packets.log");
        string[] plugins = ["inppkt_NFLOG", "raw2packet_BASE", "filter_IFINDEX", "filter_IP2STR", "filter_PRINTPKT", "output_LOGEMU"];
        string config = $"""
            [global]
            logfile="{_directory}/ulogd.log"
            loglevel=3
            {string.Join("\n", plugins.Select(p => $"plugin=\"{PluginDirectory}/ulogd_{p}.so\""))}
            stack=log1:NFLOG,base1:BASE,ifi1:IFINDEX,ip2str1:IP2STR,print1:PRINTPKT,emu1:LOGEMU
            [log1]
            group={group}
            [emu1]
            file="{LogFile}"
            sync=1
            """;
        File.WriteAllText(Path.Combine(_directory, "ulogd.conf"), config + "\n");
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "netns", "exec", networkNamespace, Program, "-c", Path.Combine(_directory, "ulogd.conf") })
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string LogFile { get; }
    public int ProcessId => _process.Id;

    /// <summary>The lines ulogd wrote so far.</summary>
    public string[] Lines() => File.Exists(LogFile) ? File.ReadAllLines(LogFile) : [];

    /// <summary>Waits until a line containing <paramref name="text"/> appears.</summary>
    public string? WaitForLine(string text, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (Lines().FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            Thread.Sleep(20);
        }
        return null;
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(2000); } }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
