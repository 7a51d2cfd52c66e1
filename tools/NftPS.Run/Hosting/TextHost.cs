using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace NftPS.Hosting;

/// <summary>A non-interactive PowerShell host whose UI writes to a TextWriter at a fixed width, so
/// Out-Default renders the module's format views exactly as a 120-column terminal would — without pwsh.
/// Shared by tools/NftPS.Run (writing to the console) and the tests (writing to a string).</summary>
public sealed class TextHost : PSHost
{
    private readonly TextHostUserInterface _ui;

    /// <param name="color">Keep ANSI colours (PowerShell's $PSStyle); off, the text is plain, as a file would get it.</param>
    public TextHost(TextWriter output, TextWriter errors, int width = 120, bool color = false)
    {
        _ui = new TextHostUserInterface(output, errors, width, color);
    }

    public int? ExitCode { get; private set; }
    public override string Name => "NftPS.TextHost";
    public override Version Version { get; } = new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    public override void EnterNestedPrompt() => throw new NotSupportedException("This host is not interactive.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("This host is not interactive.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}

internal sealed class TextHostUserInterface : PSHostUserInterface
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly TextHostRawUserInterface _raw;

    private readonly bool _color;

    public TextHostUserInterface(TextWriter output, TextWriter errors, int width, bool color)
    {
        _color = color;
        _out = output;
        _err = errors;
        _raw = new TextHostRawUserInterface(width);
    }

    public override PSHostRawUserInterface RawUI => _raw;
    public override bool SupportsVirtualTerminal => _color;
    public override void Write(string value) => _out.Write(Render(value));
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _out.Write(Render(value));
    public override void WriteLine(string value) => _out.WriteLine(Render(value));
    public override void WriteErrorLine(string value) => _err.WriteLine(Render(value));

    // PowerShell strips styling itself only when $PSStyle.OutputRendering asks for it; plain means plain here.
    private string Render(string value) => _color ? value : AnsiSequence.Replace(value, "");

    private static readonly System.Text.RegularExpressions.Regex AnsiSequence =
        new(@"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)", System.Text.RegularExpressions.RegexOptions.Compiled);
    public override void WriteDebugLine(string message) => _err.WriteLine("DEBUG: " + message);
    public override void WriteVerboseLine(string message) => _err.WriteLine("VERBOSE: " + message);
    public override void WriteWarningLine(string message) => _err.WriteLine("WARNING: " + message);
    public override void WriteProgress(long sourceId, ProgressRecord record) { }
    public override string ReadLine() => throw NotInteractive();
    public override SecureString ReadLineAsSecureString() => throw NotInteractive();
    public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) => throw NotInteractive();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NotInteractive();
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NotInteractive();
    public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) => throw NotInteractive();

    private static PSInvalidOperationException NotInteractive() => new("This host is not interactive; pass values as parameters (e.g. -Confirm:$false).");
}

internal sealed class TextHostRawUserInterface : PSHostRawUserInterface
{
    public TextHostRawUserInterface(int width)
    {
        BufferSize = new Size(width, 9999);
        WindowSize = new Size(width, 50);
    }

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override Coordinates CursorPosition { get; set; }
    public override Coordinates WindowPosition { get; set; }
    public override int CursorSize { get; set; }
    public override Size BufferSize { get; set; }
    public override Size WindowSize { get; set; }
    public override Size MaxWindowSize => WindowSize;
    public override Size MaxPhysicalWindowSize => WindowSize;
    public override bool KeyAvailable => false;
    public override string WindowTitle { get; set; } = "";
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PSInvalidOperationException("This host is not interactive.");
    public override void FlushInputBuffer() { }
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    public override int LengthInBufferCells(string source) => source.Length;
}
