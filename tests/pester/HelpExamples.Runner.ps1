#Requires -Version 7.4
<#
.SYNOPSIS
    The process that runs the examples of docs/cmdlets for HelpExamples.Tests.ps1. Not a spec: the spec starts it once,
    under `unshare --mount` with its own empty /run/netns and /run/nftps, so the namespaces the examples name (blue,
    staging, prod...) and the pending changes they make exist only for this process and its children: a host namespace
    of the same name is never seen, a pending change of another test is never undone, and all of it vanishes when
    this process ends.
.DESCRIPTION
    Protocol: the spec writes one line to standard input, the path of a JSON request; this process runs the example
    it holds and writes the JSON response next to it (request path + '.out'), then prints the line
    '@@help-example-done@@'. Whatever the example prints to the host (What if: lines, for instance) appears on
    standard output before that line; the spec collects it. An empty line or end of input ends the process.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $FixtureDirectory,
    [Parameter(Mandatory)] [string] $Namespaces
)
$ErrorActionPreference = 'Stop'

foreach ($name in $Namespaces.Split(',')) {
    & ip netns add $name
    if ($LASTEXITCODE -ne 0) { throw "ip netns add $name failed" }
    & ip netns exec $name ip link set lo up
}
Import-Module $ModuleManifest
# Examples that start a job or a second session import the module by name.
$env:PSModulePath = [IO.Path]::GetDirectoryName([IO.Path]::GetDirectoryName($ModuleManifest)) + [IO.Path]::PathSeparator + $env:PSModulePath
$script:FixtureRuleset = Get-Content -Raw (Join-Path $FixtureDirectory 'help-examples.nft')
$script:FixtureFiles = Join-Path $FixtureDirectory 'help-examples'

function Set-ExampleRuleset([string] $Namespace, [string] $Kind) {
    $text = "flush ruleset`n" + $(if ($Kind -eq 'fixture') { $script:FixtureRuleset } else { '' })
    $file = [IO.Path]::GetTempFileName()
    try {
        [IO.File]::WriteAllText($file, $text)
        $out = & ip netns exec $Namespace nft -f $file 2>&1
        if ($LASTEXITCODE -ne 0) { throw "resetting $Namespace failed: $out" }
    }
    finally { Remove-Item $file }
}

function Get-ExampleListing([string] $Namespace) {
    (& ip netns exec $Namespace nft -a list ruleset 2>&1) -join "`n"
}

function Stop-Background($process) {
    if ($process -and -not $process.HasExited) { try { $process.Kill($true) } catch { } }
    if ($process) { $process.WaitForExit(2000) | Out-Null; $process.Dispose() }
}

# Ends an example's endless watch loop at its first Start-Sleep (see Start-Sleep below).
class HelpExampleLoopEnd : System.Exception { HelpExampleLoopEnd() : base('the loop ran once') { } }

function Invoke-Example($request) {
    $work = Join-Path ([IO.Path]::GetTempPath()) ('nftps-helpex-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    $clock = [Diagnostics.Stopwatch]::StartNew()
    foreach ($file in [IO.Directory]::GetFiles($script:FixtureFiles, '*', [IO.SearchOption]::AllDirectories)) {
        $to = Join-Path $work ([IO.Path]::GetRelativePath($script:FixtureFiles, $file))
        $null = [IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($to))
        [IO.File]::Copy($file, $to)
    }
    $null = [IO.Directory]::CreateDirectory((Join-Path $work 'firewall'))
    # The version-control example diffs in ./firewall: a repository there (when git is installed).
    if ($request.Code -match '\bgit\b' -and (Get-Command git -ErrorAction SilentlyContinue)) { & git init -q (Join-Path $work 'firewall') }
    foreach ($ns in $request.Rulesets.PSObject.Properties) { Set-ExampleRuleset $ns.Name $ns.Value }
    foreach ($setup in @($request.Setup)) {
        $out = & ip netns exec $setup.Namespace nft $setup.Command 2>&1
        if ($LASTEXITCODE -ne 0) { throw "setup '$($setup.Command)' in $($setup.Namespace) failed: $out" }
    }
    $background = $null
    if ($request.Background) {
        # Traffic or commits the example waits for, made by a separate process inside the namespace.
        $background = [Diagnostics.Process]::Start([Diagnostics.ProcessStartInfo]::new('ip', [string[]]@('netns', 'exec', $request.Namespace, 'bash', '-c', ('exec >/dev/null 2>&1; ' + $request.Background))))
        # ip netns exec execs the command, so this pid becomes a process inside the namespace — but only once ip has
        # entered it: until then /proc/PID/ns/net is the runner's own (the host's) network namespace, which an example
        # reading that path must never see. Wait until the process's namespace is the example's.
        $global:HelpExampleBackgroundPid = $background.Id
        $want = & stat -L -c '%d:%i' "/run/netns/$($request.Namespace)"
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((& stat -L -c '%d:%i' "/proc/$($background.Id)/ns/net" 2>$null) -ne $want) {
            if ($background.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                throw "the background process never entered namespace $($request.Namespace)"
            }
            [Threading.Thread]::Sleep(10)
        }
    }
    $setupMs = $clock.ElapsedMilliseconds
    $response = [ordered]@{ Output = ''; Errors = @(); Warnings = @(); Verbose = @(); Exception = $null; Listings = [ordered]@{}; Values = [ordered]@{} }
    Push-Location $work
    try {
        $global:PSDefaultParameterValues = @{ '*-Nft*:NetworkNamespace' = $request.Namespace }
        $global:HelpExampleSleep = $request.Sleep
        $global:HelpExampleNftNamespace = $request.NftIn
        $Error.Clear()
        $records = [Collections.Generic.List[object]]::new()
        try {
            # A new scope per example (its variables do not leak into the next one), with the example's own text.
            $block = [scriptblock]::Create($request.Code)
            $probe = if ($request.Probe) { [scriptblock]::Create($request.Probe) }
            $global:HelpExampleProbe = $null
            & { param($b, $p) try { . $b } finally { if ($p) { $global:HelpExampleProbe = @(. $p | ForEach-Object { "$_" }) } } } $block $probe *>&1 |
                ForEach-Object { $records.Add($_) }
        }
        catch [HelpExampleLoopEnd] { }
        catch {
            if ($_.Exception -isnot [HelpExampleLoopEnd] -and $_.Exception.InnerException -isnot [HelpExampleLoopEnd]) {
                $response.Exception = "$($_.FullyQualifiedErrorId): $($_.Exception.Message)"
            }
        }
        $output = [Collections.Generic.List[object]]::new()
        foreach ($record in $records) {
            switch ($record) {
                { $_ -is [Management.Automation.ErrorRecord] } {
                    if ($_.Exception -isnot [HelpExampleLoopEnd]) { $response.Errors += "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
                    break
                }
                { $_ -is [Management.Automation.WarningRecord] } { $response.Warnings += $_.Message; break }
                { $_ -is [Management.Automation.VerboseRecord] } { $response.Verbose += $_.Message; break }
                { $_ -is [Management.Automation.DebugRecord] -or $_ -is [Management.Automation.InformationRecord] } { break }
                default { $output.Add($_) }
            }
        }
        $response.Output = ($output | Out-String -Width 400)
        # A few typed facts the spec checks, read the same way for every example.
        $response.Values.OutputTypes = @($output | ForEach-Object { if ($null -ne $_) { $_.GetType().FullName } } | Select-Object -Unique)
        $response.Values.OutputCount = $output.Count
        $response.Values.Probe = $global:HelpExampleProbe
        $response.Values.Files = @([IO.Directory]::GetFiles($work, '*', [IO.SearchOption]::AllDirectories) | ForEach-Object { [IO.Path]::GetRelativePath($work, $_) })
        foreach ($file in @($request.ReadFiles)) {
            if ($file -and (Test-Path (Join-Path $work $file))) { $response.Values["file:$file"] = Get-Content -Raw (Join-Path $work $file) }
        }
    }
    finally {
        Pop-Location
        $global:PSDefaultParameterValues = @{}
        Stop-Background $background
        Get-Job | Remove-Job -Force
    }
    $exampleMs = $clock.ElapsedMilliseconds - $setupMs
    if ($request.List) { foreach ($ns in @($request.Rulesets.PSObject.Properties.Name)) { $response.Listings[$ns] = Get-ExampleListing $ns } }
    [IO.Directory]::Delete($work, $true)
    $response.Values.Timing = "setup $setupMs ms, example $exampleMs ms, after $($clock.ElapsedMilliseconds - $setupMs - $exampleMs) ms"
    $response
}

# The examples run in the namespace the spec names; `nft` in an example is nft inside a namespace the spec names
# (blue unless the case says otherwise; never the host's), and Start-Sleep sleeps at most as long as the spec allows (an endless watch loop ends at its first sleep).
function global:nft { & ip netns exec $global:HelpExampleNftNamespace nft @args }
function global:Start-Sleep {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [double] $Seconds, [int] $Milliseconds)
    $wanted = if ($PSBoundParameters.ContainsKey('Milliseconds')) { $Milliseconds / 1000 } else { $Seconds }
    if ($global:HelpExampleSleep -lt 0) { throw [HelpExampleLoopEnd]::new() }
    Microsoft.PowerShell.Utility\Start-Sleep -Milliseconds ([Math]::Min($wanted, $global:HelpExampleSleep) * 1000)
}

while ($true) {
    $line = [Console]::In.ReadLine()
    if ([string]::IsNullOrEmpty($line)) { break }
    try { $response = Invoke-Example (Get-Content -Raw $line | ConvertFrom-Json) }
    catch { $response = @{ Exception = "runner: $($_.Exception.Message)"; Errors = @(); Listings = @{} } }
    $response | ConvertTo-Json -Depth 6 | Set-Content -Path "$line.out"
    [Console]::Out.WriteLine('@@help-example-done@@')
    [Console]::Out.Flush()
}
# Whatever an example left pending is undone here, in this process's own store, before its namespaces go.
Get-NftPendingChange | Undo-NftChange -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
