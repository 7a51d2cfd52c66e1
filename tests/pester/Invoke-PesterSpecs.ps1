#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Runs the Pester specs in tests/pester under this pwsh with Pester 5.7.1 from the NuGet package folder
    (tests/NftPS.Tests restores it as a PackageDownload), and prints one closing line "pester: N passed, N failed".
.PARAMETER Path
    Spec files or folders to run; all of tests/pester when left out.
.PARAMETER ResultPath
    Where to write the counts as JSON (tools/test.sh adds them to the xunit counts).
#>
[CmdletBinding()]
param(
    [string[]] $Path = @($PSScriptRoot),
    [string] $ResultPath
)
$ErrorActionPreference = 'Stop'

function Find-PesterManifest {
    $roots = @($env:NUGET_PACKAGES, (Join-Path $HOME '.nuget/packages')) | Where-Object { $_ }
    foreach ($root in $roots) {
        $candidate = Join-Path $root 'pester/5.7.1/tools/Pester.psd1'
        if (Test-Path $candidate) { return $candidate }
    }
    throw "Pester 5.7.1 was not found under $($roots -join ', '): run 'dotnet restore tests/NftPS.Tests' first."
}

Import-Module (Find-PesterManifest) -Force
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.Exit = $false
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
# Logs (CI, tools/test.sh through tee) get plain text rather than ANSI colour codes.
if ([Console]::IsOutputRedirected) { $config.Output.RenderMode = 'Plaintext' }
$result = Invoke-Pester -Configuration $config

# Skipped specs count as failures under CI=true: a kernel spec that cannot run there is a broken machine.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
if ($env:CI -eq 'true') { $failed += $result.SkippedCount }
if ($ResultPath) {
    @{ passed = $result.PassedCount; failed = $failed; skipped = $result.SkippedCount } | ConvertTo-Json | Set-Content -Path $ResultPath
}
"pester: $($result.PassedCount) passed, $failed failed"
if ($failed -gt 0 -or $result.PassedCount -eq 0) { exit 1 }
