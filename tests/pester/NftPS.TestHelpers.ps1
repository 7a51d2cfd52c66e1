# Shared by the Pester specs: the built module, and a private network namespace per spec file so the host's
# ruleset is never read or changed. nft (run inside the namespace) is the oracle, as in the xunit suite.

$script:ModuleManifest = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../out/NftPS/NftPS.psd1'))

function Test-NftKernelAvailable {
    # Kernel specs need Linux, root (namespaces and nf_tables), ip and nft.
    if (-not $IsLinux) { return $false }
    if ((& id -u) -ne '0') { return $false }
    return [bool](Get-Command ip -ErrorAction SilentlyContinue) -and [bool](Get-Command nft -ErrorAction SilentlyContinue)
}

function Import-NftPSUnderTest {
    if (-not (Test-Path $script:ModuleManifest)) { throw "$script:ModuleManifest is missing: run 'dotnet build' first." }
    Import-Module $script:ModuleManifest -Force -ErrorAction Stop
}

function New-NftTestNamespace {
    $name = 'nftps-pester-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    & ip netns add $name
    if ($LASTEXITCODE -ne 0) { throw "ip netns add $name failed" }
    $name
}

function Remove-NftTestNamespace([string] $Name) {
    if ($Name) { & ip netns delete $Name 2>$null }
}

function Invoke-NftInNamespace([string] $Namespace, [string[]] $Arguments) {
    $out = & ip netns exec $Namespace nft @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "nft $($Arguments -join ' ') failed in $Namespace`: $out" }
    $out -join "`n"
}

function Set-NftTestRuleset([string] $Namespace, [string] $Text) {
    $file = New-TemporaryFile
    try {
        Set-Content -Path $file -Value ("flush ruleset`n" + $Text) -NoNewline
        $null = Invoke-NftInNamespace $Namespace @('-f', $file.FullName)
    }
    finally { Remove-Item $file -Force }
}

# The ruleset the read specs load (the same file tests/NftPS.Tests/PowerShell/SampleRuleset.cs loads).
$script:SampleRuleset = Get-Content -Raw -Path (Join-Path $PSScriptRoot '..' 'fixtures' 'sample-ruleset.nft')

# The pwsh running these specs, as an executable a child process can start. Under `dotnet pwsh` (the tool manifest's
# pwsh) this process is `dotnet` itself, so its path would start `dotnet -NoProfile`: use the apphost in $PSHOME.
function Get-PwshPath {
    $apphost = Join-Path $PSHOME 'pwsh'
    if (Test-Path $apphost) { return $apphost }
    (Get-Process -Id $PID).Path
}

# "What if:" lines go straight to the host, where no stream redirection reaches them: run the script in a child
# pwsh with the module imported and $ns set, and return what it printed.
function Invoke-NftPSChild([string] $Namespace, [string] $Script) {
    $prelude = "Import-Module '$script:ModuleManifest' -ErrorAction Stop; `$ns = '$Namespace'`n"
    $pwsh = Get-PwshPath
    (& $pwsh -NoProfile -NonInteractive -Command ($prelude + $Script) 2>&1) -join "`n"
}
