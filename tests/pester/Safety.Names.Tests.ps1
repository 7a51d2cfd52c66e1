#Requires -Version 7.4
# Issue 11 defects 1, 4 and 7 under real pwsh: names, comments and JSON strings are values, never nft commands
# (mirrors tests/NftPS.Tests/Safety/*).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
}

Describe 'Names, comments and JSON strings are values' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:ns = New-NftTestNamespace
        $script:Sentinel = "table ip sentinel {`n`tchain keep {`n`t`tcounter comment `"keep`"`n`t}`n}`n"
        function Get-Listing { Invoke-NftInNamespace $ns @('list', 'ruleset') }
        function Assert-Untouched([string] $Before) {
            $after = Get-Listing
            $after | Should -Be $Before
            (Invoke-NftInNamespace $ns @('list', 'tables')) | Should -Not -Match 'evil'
        }
    }

    AfterAll {
        Remove-NftTestNamespace $script:ns
    }

    BeforeEach {
        Set-NftTestRuleset $ns $Sentinel
    }

    It 'refuses a table name holding a line break and a command, as InvalidArgument, changing nothing' {
        $before = Get-Listing
        New-NftTable -NetworkNamespace $ns -Name "x`nadd table ip evil" -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].ErrorDetails.Message | Should -Match 'line break'
        Assert-Untouched $before
    }

    It 'refuses a comment that would close its quotes and add a table' {
        $before = Get-Listing
        New-NftObject -NetworkNamespace $ns -Table sentinel -Name o -Type counter -Comment 'a"; }; add table ip evil; #' -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].ErrorDetails.Message | Should -Match 'double quote'
        New-NftSet -NetworkNamespace $ns -Table sentinel -Name s -Type 'ipv4_addr; }; add table ip evil; add set ip sentinel s2 { type ipv4_addr' -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Assert-Untouched $before
    }

    It 'refuses NUL, comments over 128 bytes and 16-character devices, as nft does' {
        $before = Get-Listing
        New-NftTable -NetworkNamespace $ns -Name "nul`0x" -ErrorAction SilentlyContinue -ErrorVariable e1
        New-NftTable -NetworkNamespace $ns -Name c -Comment ('a' * 129) -ErrorAction SilentlyContinue -ErrorVariable e2
        New-NftTable -NetworkNamespace $ns -Family netdev -Name nd
        $before = Get-Listing
        New-NftChain -NetworkNamespace $ns -Family netdev -Table nd -Name c -Hook ingress -Priority 0 -Device '0123456789abcdef' -ErrorAction SilentlyContinue -ErrorVariable e3
        New-NftChain -NetworkNamespace $ns -Family netdev -Table nd -Name c -Hook ingress -Priority 0 -ErrorAction SilentlyContinue -ErrorVariable e4
        @($e1 + $e2 + $e3 + $e4).Count | Should -Be 4
        $e4[0].Exception.Message | Should -Match 'Missing `device'''
        Assert-Untouched $before
    }

    It 'round-trips odd but valid names through Export-NftRuleset and Import-NftRuleset' {
        $name = 'odd name ü;}{'
        New-NftTable -NetworkNamespace $ns -Name $name -Comment 'ünïcödé'
        New-NftChain -NetworkNamespace $ns -Table $name -Name 'c.1 x'
        New-NftRule -NetworkNamespace $ns -Table sentinel -Chain keep -Rule 'counter' -Comment 'semi;colon }'
        $before = Invoke-NftInNamespace $ns @('-s', 'list', 'ruleset')
        $file = New-TemporaryFile
        try {
            Export-NftRuleset -NetworkNamespace $ns -Path $file.FullName -Stateless
            Set-NftTestRuleset $ns ''
            Import-NftRuleset -NetworkNamespace $ns -Path $file.FullName
        }
        finally { Remove-Item $file -Force }
        Invoke-NftInNamespace $ns @('-s', 'list', 'ruleset') | Should -Be $before
    }

    It 'refuses to export a name another tool made that nft text cannot hold' {
        $json = New-TemporaryFile
        try {
            Set-Content -Path $json -Value '{"nftables":[{"add":{"table":{"family":"ip","name":"x\nadd table ip evil"}}}]}'
            $null = Invoke-NftInNamespace $ns @('-j', '-f', $json.FullName)
        }
        finally { Remove-Item $json -Force }
        $text = Export-NftRuleset -NetworkNamespace $ns -ErrorAction SilentlyContinue -ErrorVariable err
        $text | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^NftUnprintableValue'
    }

    It 'refuses a JSON plain-string statement that would run commands' {
        $before = Get-Listing
        $json = New-TemporaryFile
        try {
            Set-Content -Path $json -Value '{"nftables":[{"add":{"rule":{"family":"ip","table":"sentinel","chain":"keep","expr":["accept\nflush ruleset\nadd table ip evil"]}}}]}'
            Import-NftRuleset -NetworkNamespace $ns -Path $json.FullName -AsJson -ErrorAction SilentlyContinue -ErrorVariable err
            $err.Count | Should -Be 1
            $err[0].Exception.Message | Should -Match 'expr\[0\]'
            { ConvertFrom-NftJson -InputObject '{"nftables":[{"add":{"table":{"family":"ip","name":"\ud800"}}}]}' -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*nftables`[0`].add.table.name*'
        }
        finally { Remove-Item $json -Force }
        Assert-Untouched $before
    }
}
