#Requires -Version 7.4
# Issue 11 defect 4 under real pwsh: input that used to kill pwsh (stack overflow, exit 134) or exhaust its memory
# now gives one PowerShell error with the right category, the ruleset stays as it was, and this very pwsh carries on
# (mirrors tests/NftPS.Tests/Safety/CmdletRobustnessTests.cs).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
}

Describe 'NftPS under hostile input' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:ns = New-NftTestNamespace
        $script:dir = (New-Item -ItemType Directory -Path (Join-Path ([System.IO.Path]::GetTempPath()) ('nftps-pester-' + [guid]::NewGuid().ToString('n')))).FullName
        $script:Sentinel = "table ip keep {`n`tchain c {`n`t}`n}`n"
        function Get-Listing { Invoke-NftInNamespace $ns @('list', 'ruleset') }

        # Runs the import, returns its one error; the listing must not change and this process must still answer.
        function Invoke-Refused([scriptblock] $Action) {
            $before = Get-Listing
            $errors = @()
            try { & $Action -ErrorAction Stop }
            catch { $errors += $_ }
            $errors.Count | Should -Be 1
            Get-Listing | Should -Be $before
            (Get-Process -Id $PID).Id | Should -Be $PID
            $errors[0]
        }
    }

    AfterAll {
        Remove-NftTestNamespace $script:ns
        Remove-Item -Recurse -Force $script:dir -ErrorAction SilentlyContinue
    }

    BeforeEach {
        Set-NftTestRuleset $ns $Sentinel
    }

    It 'refuses 100,000 nested parentheses as too deep' {
        $file = Join-Path $dir 'deep.nft'
        Set-Content -Path $file -Value ('add rule ip keep c ip ttl ' + ('(' * 100000) + '1' + (')' * 100000))
        $e = Invoke-Refused { Import-NftRuleset -NetworkNamespace $ns -Path $file }
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'too many levels of nesting'
    }

    It 'refuses 100,000 nested braces in a rule given as text' {
        $rule = 'ip ttl ' + ('{ ' * 100000) + '1' + (' }' * 100000)
        $e = Invoke-Refused { New-NftRule -NetworkNamespace $ns -Table keep -Chain c -Rule $rule }
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'too many levels of nesting'
    }

    It 'refuses a define cycle at the first unknown name, as nft does' {
        $file = Join-Path $dir 'cycle.nft'
        Set-Content -Path $file -Value "define a = `$b`ndefine b = `$a`nadd rule ip keep c ip ttl `$a"
        $e = Invoke-Refused { Import-NftRuleset -NetworkNamespace $ns -Path $file }
        $e.FullyQualifiedErrorId | Should -BeLike 'NftSyntaxError,*'
        $e.Exception.Message | Should -Match "cycle.nft:1:12-13: Error: unknown identifier 'b'"
    }

    It 'loads a chain of 20,000 defines, as nft does' {
        $file = Join-Path $dir 'aliases.nft'
        $lines = [System.Collections.Generic.List[string]]::new()
        $lines.Add('define a0 = 5')
        foreach ($i in 1..20000) { $lines.Add("define a$i = `$a$($i - 1)") }
        $lines.Add('add rule ip keep c ip ttl $a20000')
        Set-Content -Path $file -Value $lines
        Import-NftRuleset -NetworkNamespace $ns -Path $file
        Get-Listing | Should -Match 'ip ttl 5'
    }

    It 'reads /dev/zero only up to the size bound' {
        $e = Invoke-Refused { Import-NftRuleset -NetworkNamespace $ns -Path /dev/zero }
        $e.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $e.FullyQualifiedErrorId | Should -BeLike 'NftFileTooLarge,*'
        $e.Exception.Message | Should -Match '64 MiB'
    }

    It 'refuses include "/dev/zero" at the include' {
        $file = Join-Path $dir 'zero.nft'
        Set-Content -Path $file -Value 'include "/dev/zero"'
        $e = Invoke-Refused { Import-NftRuleset -NetworkNamespace $ns -Path $file }
        $e.Exception.Message | Should -Match 'larger than 64 MiB'
    }

    It 'says a directory given as -Path is a directory' {
        $e = Invoke-Refused { Import-NftRuleset -NetworkNamespace $ns -Path $dir }
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.FullyQualifiedErrorId | Should -BeLike 'NftFileIsDirectory,*'
        $e.TargetObject | Should -Be $dir
    }

    It 'reports a missing file as ObjectNotFound' {
        $e = Invoke-Refused { Import-NftRuleset -NetworkNamespace $ns -Path (Join-Path $dir 'missing.nft') }
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses priorities that overflow or would wrap' {
        foreach ($p in 'filter + 99999999999', 'raw - 2147483647') {
            $e = Invoke-Refused { New-NftChain -NetworkNamespace $ns -Table keep -Name x -Type filter -Hook input -Priority $p }
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e.Exception.Message | Should -Match 'out of range'
        }
    }
}
