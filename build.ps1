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

# Pester 5.7.1 specs (tests/pester), from the NuGet package folder (dotnet restore brings it): they need root for
# their private network namespaces, and skip without it.
function Invoke-PesterSpecs {
    & (Join-Path $PSScriptRoot 'tests/pester/Invoke-PesterSpecs.ps1')
    if ($LASTEXITCODE -ne 0) { throw "Pester: spec(s) failed" }
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
