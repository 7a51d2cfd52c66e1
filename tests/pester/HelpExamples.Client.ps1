# HelpExamples.Tests.ps1's side of the runner: reading the examples out of docs/cmdlets, starting the runner in its
# own mount namespace, and sending it one example at a time.

# The namespaces the examples name; each exists only inside the runner's mount namespace.
$script:HelpExampleNamespaces = @('blue', 'green', 'staging', 'prod', 'mail', 'router1', 'router2')

# Every '### Example N: title' of every page: its first powershell block is the code, the text after the blocks the prose.
function Get-HelpExample([string] $Directory) {
    foreach ($file in Get-ChildItem -Path $Directory -Filter '*.md' | Sort-Object Name) {
        $text = Get-Content -Raw $file.FullName
        $section = [regex]::Match($text, '(?ms)^## EXAMPLES\s*$(.*?)(?=^## )').Groups[1].Value
        foreach ($m in [regex]::Matches($section, '(?ms)^### Example (\d+): ([^\r\n]*)\r?\n(.*?)(?=^### |\z)')) {
            $body = $m.Groups[3].Value
            $code = [regex]::Match($body, '(?ms)^```powershell\r?\n(.*?)^```').Groups[1].Value
            @{
                Cmdlet = $file.BaseName
                Number = [int]$m.Groups[1].Value
                Title  = $m.Groups[2].Value.Trim()
                Code   = $code
                Prose  = ([regex]::Replace($body, '(?ms)^```.*?^```', '')).Trim()
            }
        }
    }
}

function Start-HelpExampleRunner {
    $fixtures = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../fixtures'))
    $runner = Join-Path $PSScriptRoot 'HelpExamples.Runner.ps1'
    # The runner's own /run/netns and /run/nftps (tmpfs, private to its mount namespace); the host's
    # /etc/nftables.conf, which an example imports, is shadowed there by a fixed copy so the result does not depend on
    # the machine; /run/systemd/system is hidden so a rollback agent is a child process in this mount namespace, not a
    # systemd unit that would look for its state in the host's /run/nftps. Nothing of it is visible outside the
    # runner, and all of it goes when the runner ends.
    $mounts = 'mkdir -p /run/netns /run/nftps && mount -t tmpfs nftps-helpex /run/netns && mount -t tmpfs nftps-helpex /run/nftps' +
        ' && { [ ! -f /etc/nftables.conf ] || mount --bind "$0" /etc/nftables.conf; }' +
        ' && { [ ! -d /run/systemd/system ] || mount -t tmpfs nftps-helpex /run/systemd; } && exec "$@"'
    $start = [Diagnostics.ProcessStartInfo]::new('unshare')
    foreach ($a in @('--mount', '--propagation', 'private', '--', 'sh', '-c', $mounts, (Join-Path $fixtures 'help-examples/nftables.conf'),
            (Get-PwshPath), '-NoProfile', '-NonInteractive', '-File', $runner,
            '-ModuleManifest', $script:ModuleManifest, '-FixtureDirectory', $fixtures, '-Namespaces', ($script:HelpExampleNamespaces -join ','))) {
        $start.ArgumentList.Add($a)
    }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $errors = [Text.StringBuilder]::new()
    $null = Register-ObjectEvent -InputObject $process -EventName ErrorDataReceived -MessageData $errors -Action { if ($EventArgs.Data) { $Event.MessageData.AppendLine($EventArgs.Data) } }
    $process.BeginErrorReadLine()
    [pscustomobject]@{ Process = $process; Errors = $errors; Dir = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) ('nftps-helpex-' + [guid]::NewGuid().ToString('n').Substring(0, 8)))).FullName }
}

function Stop-HelpExampleRunner($Runner) {
    if (-not $Runner) { return }
    try { $Runner.Process.StandardInput.WriteLine(''); $Runner.Process.StandardInput.Close() } catch { }
    if (-not $Runner.Process.WaitForExit(30000)) { $Runner.Process.Kill($true) }
    Remove-Item -Recurse -Force $Runner.Dir -ErrorAction SilentlyContinue
}

# An example that hung past its time had its runner killed: the next one gets a fresh runner.
function Restart-HelpExampleRunnerIfGone($Runner) {
    if ($Runner -and -not $Runner.Process.HasExited) { return $Runner }
    Stop-HelpExampleRunner $Runner
    Start-HelpExampleRunner
}

# Runs one example (with its case: rewrites, rulesets, background traffic, sleep allowance) and returns the runner's
# response: Output (formatted text), Errors, Exception, Verbose, Warnings, Listings (nft -a list ruleset per namespace
# reset, when the case has a check), Values (Probe: what the case's probe returned in the example's scope; file:NAME contents), and Host (what it
# printed to the host, such as What if: lines).
function Invoke-HelpExample($Runner, $Example) {
    $case = if ($Example.Case) { $Example.Case } else { @{} }
    $code = $Example.Code
    # One pair (from, to) or a list of pairs.
    $rewrites = [Collections.Generic.List[object]]::new()
    if ($case.Rewrite -and $case.Rewrite[0] -is [string]) { $rewrites.Add($case.Rewrite) }
    elseif ($case.Rewrite) { foreach ($pair in $case.Rewrite) { $rewrites.Add($pair) } }
    foreach ($rewrite in $rewrites) {
        if (-not $rewrite) { continue }
        if (-not $code.Contains($rewrite[0])) { throw "The case rewrites '$($rewrite[0])', which the example no longer holds: update HelpExamples.Cases.ps1." }
        $code = $code.Replace($rewrite[0], $rewrite[1])
    }
    $rulesets = [ordered]@{ blue = 'fixture' }
    foreach ($ns in $script:HelpExampleNamespaces) { if ($code -match "\b$ns\b") { $rulesets[$ns] = 'fixture' } }
    if ($case.Rulesets) { foreach ($k in $case.Rulesets.Keys) { $rulesets[$k] = $case.Rulesets[$k] } }
    $request = [ordered]@{
        Code       = $code
        Namespace  = 'blue'
        Rulesets   = $rulesets
        Setup      = @(if ($case.Setup -is [hashtable]) { foreach ($k in $case.Setup.Keys) { foreach ($c in @($case.Setup[$k])) { @{ Namespace = $k; Command = $c } } } }
                       elseif ($case.Setup) { foreach ($c in @($case.Setup)) { @{ Namespace = 'blue'; Command = $c } } })
        NftIn      = if ($case.NftIn) { $case.NftIn } else { 'blue' }
        Background = $case.Background
        Sleep      = if ($null -ne $case.Sleep) { $case.Sleep } else { 0 }
        Probe      = if ($case.Probe) { $case.Probe.ToString() } else { $null }
        ReadFiles  = @($case.ReadFiles)
        List       = [bool]$case.Check
    }
    $path = Join-Path $Runner.Dir ('request-' + [guid]::NewGuid().ToString('n').Substring(0, 8) + '.json')
    $request | ConvertTo-Json -Depth 5 | Set-Content -Path $path
    $Runner.Process.StandardInput.WriteLine($path)
    $Runner.Process.StandardInput.Flush()
    $hostLines = [Collections.Generic.List[string]]::new()
    $deadline = [DateTime]::UtcNow.AddSeconds($(if ($case.Timeout) { $case.Timeout } else { 60 }))
    while ($true) {
        $read = $Runner.Process.StandardOutput.ReadLineAsync()
        $left = [int][Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $read.Wait($left)) {
            $Runner.Process.Kill($true)
            throw "The example did not finish in time; it printed:`n$($hostLines -join "`n")`nrunner errors:`n$($Runner.Errors)"
        }
        $line = $read.Result
        if ($null -eq $line) { throw "The runner ended: $($Runner.Errors)" }
        if ($line -eq '@@help-example-done@@') { break }
        $hostLines.Add($line)
    }
    $response = Get-Content -Raw "$path.out" | ConvertFrom-Json
    Remove-Item "$path*"
    $response | Add-Member -NotePropertyName Host -NotePropertyValue ($hostLines -join "`n") -PassThru
}
