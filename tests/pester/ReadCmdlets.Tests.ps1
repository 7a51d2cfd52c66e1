#Requires -Version 7.4
# The read cmdlets against a ruleset nft loaded into a private namespace (mirrors PowerShell/ReadCmdletTests.cs).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
}

Describe 'NftPS read cmdlets' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:ns = New-NftTestNamespace
    }

    AfterAll {
        Remove-NftTestNamespace $script:ns
    }

    BeforeEach {
        Set-NftTestRuleset $ns $SampleRuleset
    }

    Context 'Get-NftTable' {
        It 'lists every table with family, handle and namespace' {
            $tables = Get-NftTable -NetworkNamespace $ns
            ($tables | ForEach-Object { "$($_.Family.ToString().ToLower()) $($_.Name)" } | Sort-Object) | Should -Be @('inet filter', 'ip nat', 'ip6 other')
            $filter = $tables | Where-Object Name -eq 'filter'
            Invoke-NftInNamespace $ns @('-a', 'list', 'table', 'inet', 'filter') | Should -Match "table inet filter \{ # handle $($filter.Handle)"
            $tables.NetworkNamespace | Sort-Object -Unique | Should -Be $ns
        }

        It 'filters by family, name pattern and handle' {
            (Get-NftTable -NetworkNamespace $ns -Family ip).Name | Should -Be 'nat'
            (Get-NftTable -NetworkNamespace $ns -Name 'f*').Name | Should -Be 'filter'
            (Get-NftTable -NetworkNamespace $ns 'F*').Name | Should -Be 'filter'
            Get-NftTable -NetworkNamespace $ns -Name 'zz*' | Should -BeNullOrEmpty
            $h = (Get-NftRule -NetworkNamespace $ns -Table filter -Chain input)[1].Handle
            $rule = Get-NftRule -NetworkNamespace $ns -Table filter -Handle $h
            $rule.Position | Should -Be 1
        }

        It 'reports a table asked for by exact name that does not exist as ObjectNotFound' {
            Get-NftTable -NetworkNamespace $ns -Name nosuch -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].FullyQualifiedErrorId | Should -Match '^NftTableNotFound'
        }
    }

    Context 'Get-NftChain and Get-NftRule' {
        It 'returns chains with hook, priority and policy' {
            $chains = Get-NftChain -NetworkNamespace $ns -Table filter
            ($chains.Name | Sort-Object) | Should -Be @('forwarding', 'input')
            $inputChain = $chains | Where-Object Name -eq 'input'
            $inputChain.IsBaseChain | Should -BeTrue
            $inputChain.Type | Should -Be 'filter'
            $inputChain.Hook | Should -Be 'input'
            $inputChain.Priority | Should -Be 0
            $inputChain.Policy | Should -Be 'drop'
            ($chains | Where-Object Name -eq 'forwarding').IsBaseChain | Should -BeFalse
        }

        It 'pipes tables into chains into rules' {
            $rules = Get-NftTable -NetworkNamespace $ns -Name filter | Get-NftChain | Get-NftRule
            $rules.Position | Should -Be @(0, 1, 2)
            $rules | ForEach-Object { $_.Chain | Should -Be 'input' }
            $chains = Get-NftTable -NetworkNamespace $ns | Get-NftChain
            $chains | Where-Object { $_.Table -eq 'nat' -and $_.Name -eq 'post' } | Should -Not -BeNullOrEmpty
        }

        It 'has a null Counter for rules without a counter, so Where Counter -gt 0 works' {
            $hit = Get-NftRule -NetworkNamespace $ns -Table filter | Where-Object Counter -gt 0
            @($hit).Count | Should -Be 1
            $hit.Counter | Should -Be 7
            $hit.Bytes | Should -Be 420
            $hit.Verdict | Should -Be 'accept'
            (Get-NftRule -NetworkNamespace $ns -Table filter -Chain input)[0].Counter | Should -BeNullOrEmpty
        }
    }

    Context 'Get-NftSet and Get-NftSetElement' {
        It 'lists sets and maps, and their elements' {
            (Get-NftSet -NetworkNamespace $ns -Table filter).Name | Sort-Object | Should -Be @('blocked', 'ports')
            (Get-NftSet -NetworkNamespace $ns -Map).Name | Should -Be 'ports'
            $elements = Get-NftSet -NetworkNamespace $ns -Table filter -Name blocked | Get-NftSetElement
            $elements.Count | Should -Be 2
            $elements.SetName | Sort-Object -Unique | Should -Be 'blocked'
            ($elements | Where-Object { ($_.Key -join '.') -eq '10.0.0.1' }) | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Get-NftObject, Get-NftFlowtable and Get-NftRuleset' {
        It 'reads named counters, no flowtables, and the whole ruleset' {
            $hits = Get-NftObject -NetworkNamespace $ns -Type Counter
            $hits.Name | Should -Be 'hits'
            $hits.Packets | Should -Be 3
            $hits.Bytes | Should -Be 120
            Get-NftFlowtable -NetworkNamespace $ns | Should -BeNullOrEmpty
            $rs = Get-NftRuleset -NetworkNamespace $ns
            $rs.Tables.Count | Should -Be 3
            $rs.Chains.Count | Should -Be 3
            $rs.Rules.Count | Should -Be 3
            $rs.NetworkNamespace | Should -Be $ns
        }
    }

    Context 'Export-NftRuleset' {
        It 'prints what nft lists, and -Stateless leaves the counters out' {
            $text = Export-NftRuleset -NetworkNamespace $ns
            $text.TrimEnd() | Should -Be (Invoke-NftInNamespace $ns @('list', 'ruleset')).TrimEnd()
            Export-NftRuleset -NetworkNamespace $ns -Stateless | Should -Not -Match 'packets 7'
        }

        It 'writes a file, and -WhatIf writes nothing' {
            $path = Join-Path $TestDrive 'ruleset.nft'
            Export-NftRuleset -NetworkNamespace $ns -Path $path -WhatIf
            Test-Path $path | Should -BeFalse
            $file = Export-NftRuleset -NetworkNamespace $ns -Path $path -PassThru
            $file.FullName | Should -Be $path
            Get-Content $path -Raw | Should -Match 'table inet filter'
        }
    }
}
