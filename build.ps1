#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and packages NftPS on machines with pwsh (without it: `dotnet build`, `dotnet test`).
.EXAMPLE
    ./build.ps1                 # Build: assembles the module in out/NftPS
    ./build.ps1 Test            # Build, then the whole test suite (kernel tests need root)
    ./build.ps1 Package -Configuration Release   # out/NftPS zipped into dist/
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

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' {
            Invoke-Dotnet build --nologo -c $Configuration
            Write-Host "Module: $(Join-Path $PSScriptRoot out/NftPS) (Import-Module ./out/NftPS/NftPS.psd1)"
        }
        'Test' {
            Invoke-Dotnet test --nologo -c $Configuration
        }
        'Package' {
            Invoke-Dotnet build --nologo -c $Configuration
            $manifest = Import-PowerShellDataFile ./out/NftPS/NftPS.psd1
            $null = New-Item -ItemType Directory -Force -Path dist
            $zip = Join-Path dist "NftPS-$($manifest.ModuleVersion).zip"
            Compress-Archive -Path ./out/NftPS -DestinationPath $zip -Force
            Write-Host "Package: $zip"
        }
    }
}
