#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and packages NftPS on machines with pwsh (without it: `dotnet build`, `dotnet test`).
.EXAMPLE
    ./build.ps1                 # Build: assembles the module in out/NftPS
    ./build.ps1 Test            # Build, then the xunit suite and the Pester specs (kernel tests need root)
    ./build.ps1 Package -Configuration Release   # dist/NftPS.VERSION.nupkg (PowerShell Gallery) and a zip of out/NftPS
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string[]] $Task = @('Build'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

# The module's help: `dotnet build` already turns docs/ into out/NftPS/en-US with tools/NftPS.HelpGen; where PlatyPS
# is installed, its own New-ExternalHelp regenerates the same files from the same markdown.
function Update-ModuleHelp {
    $helpOut = Join-Path $PSScriptRoot 'out/NftPS/en-US'
    $platyPS = Get-Module -ListAvailable -Name platyPS | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $platyPS) {
        Write-Host "Help: PlatyPS is not installed; kept the MAML tools/NftPS.HelpGen wrote to $helpOut"
        return
    }
    Import-Module $platyPS -ErrorAction Stop
    $null = New-ExternalHelp -Path (Join-Path $PSScriptRoot 'docs/cmdlets') -OutputPath $helpOut -Force -ErrorAction Stop
    $null = New-ExternalHelp -Path (Join-Path $PSScriptRoot 'docs/about_NftPS.md') -OutputPath $helpOut -Force -ErrorAction Stop
    Write-Host "Help: PlatyPS $($platyPS.Version) -> $helpOut"
}

# Pester 5 specs (tests/pester): they need root for their private network namespaces, and skip without it.
function Invoke-PesterSpecs {
    $pester = Get-Module -ListAvailable -Name Pester | Where-Object Version -ge ([version]'5.0') | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0); tests/pester was not run.'
        return
    }
    Import-Module $pester -ErrorAction Stop
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $PSScriptRoot 'tests/pester'
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    if ($result.FailedCount -gt 0) { throw "Pester: $($result.FailedCount) spec(s) failed" }
}

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' {
            Invoke-Dotnet build --nologo -c $Configuration
            Update-ModuleHelp
            Write-Host "Module: $(Join-Path $PSScriptRoot out/NftPS) (Import-Module ./out/NftPS/NftPS.psd1)"
        }
        'Test' {
            Invoke-Dotnet test --nologo -c $Configuration
            Invoke-PesterSpecs
        }
        'Package' {
            # The same tool `dotnet run --project tools/NftPS.Package` runs without pwsh: out/NftPS as the gallery's
            # .nupkg (nuspec from the manifest), plus a zip of the module folder for copying by hand.
            Invoke-Dotnet build --nologo -c $Configuration tools/NftPS.Package
            Update-ModuleHelp
            Invoke-Dotnet run --no-build -c $Configuration --project tools/NftPS.Package -- ./out/NftPS ./dist
            $manifest = Import-PowerShellDataFile ./out/NftPS/NftPS.psd1
            $zip = Join-Path dist "NftPS-$($manifest.ModuleVersion).zip"
            Compress-Archive -Path ./out/NftPS -DestinationPath $zip -Force
            Write-Host "Package: $zip"
        }
    }
}
