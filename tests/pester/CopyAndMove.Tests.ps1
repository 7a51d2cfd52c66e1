#Requires -Version 7.4
# Issue 12 items 6 and 8 as a user sees them under real pwsh: a policy copied from one namespace to another with
# Get-… | New-… pipelines (live and through PSSerializer), counters copied only with -IncludeCounters, Move-NftRule,
# and the rule views (Format-Table at 200 columns, Format-List). Mirrors PowerShell/CopyPipelineTests.cs,
# CopyCountersTests.cs, MoveRuleTests.cs and RuleViewTests.cs.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
    # ../shared next to the repository holds the scenarios (absent: those tests are skipped, except under CI).
    $script:SharedPresent = Test-Path (Join-Path $PSScriptRoot '../../../shared/scenarios')
    $script:SkipScenarios = -not $SharedPresent -and $env:CI -ne 'true'
    $script:Scenarios = @('mail-inbound', 'mail-outbound', 'egress-allowlist', 'mail-ratelimit') | ForEach-Object {
        @{ Scenario = $_; Deserialized = $false }
        @{ Scenario = $_; Deserialized = $true }
    }
}

Describe 'Copying and moving NftPS objects' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:A = New-NftTestNamespace
        $script:B = New-NftTestNamespace
        $script:Shared = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))
        # The egress scenario names the user appuser (created as .ci/run and ScenarioUsers.cs create it).
        & id appuser *> $null
        if ($LASTEXITCODE -ne 0) { & useradd -M -r appuser; if ($LASTEXITCODE -ne 0) { throw "useradd appuser failed" } }

        function Copy-Deserialized {
            process { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_, 3)) }
        }
        # Everything of namespace $From copied into $To, in the order nft needs (objects and sets before the rules using them).
        function Copy-Policy([string] $From, [string] $To, [switch] $Deserialized, [switch] $IncludeCounters) {
            $c = @{ IncludeCounters = $IncludeCounters }
            filter Pass { if ($Deserialized) { $_ | Copy-Deserialized } else { $_ } }
            Get-NftTable -NetworkNamespace $From | Pass | New-NftTable -NetworkNamespace $To
            Get-NftObject -NetworkNamespace $From | Pass | New-NftObject -NetworkNamespace $To @c
            Get-NftSet -NetworkNamespace $From -IncludeElements | Pass | Where-Object { -not ($_.IsMap -or $_.IsObjectMap) } | New-NftSet -NetworkNamespace $To @c
            Get-NftSet -NetworkNamespace $From -IncludeElements | Pass | Where-Object { $_.IsMap -or $_.IsObjectMap } | New-NftMap -NetworkNamespace $To @c
            Get-NftChain -NetworkNamespace $From | Pass | New-NftChain -NetworkNamespace $To
            Get-NftRule -NetworkNamespace $From | Pass | New-NftRule -NetworkNamespace $To @c
        }
        function Get-Listing([string] $Namespace, [string[]] $Options = @()) { Invoke-NftInNamespace $Namespace (@($Options) + @('list', 'ruleset')) }
        function Get-ChainRules([string] $Namespace) {
            (Get-Listing $Namespace) -split "`n" | ForEach-Object Trim | Where-Object { $_ -and $_ -notmatch '^(table|chain|set|type|elements|\}|flags)' }
        }

        $script:Stateful = @'
table inet x {
	counter cnt {
		packets 7 bytes 99
	}
	set dyn {
		type ipv4_addr
		size 10
		flags dynamic
		elements = { 3.3.3.3 counter packets 1 bytes 2 }
	}
	chain c {
		counter packets 5 bytes 300 accept comment "x"
		ip saddr @dyn quota 10 mbytes used 1 mbytes drop
	}
}
'@
    }

    AfterAll {
        Remove-NftTestNamespace $script:A
        Remove-NftTestNamespace $script:B
    }

    BeforeEach {
        Set-NftTestRuleset $A ''
        Set-NftTestRuleset $B ''
    }

    Context 'a scenario copied with Get-… | New-… pipelines' -Skip:$SkipScenarios {
        It 'lists <Scenario> identically in the target (deserialized: <Deserialized>)' -ForEach $Scenarios {
            Set-NftTestRuleset $A (Get-Content -Raw (Join-Path $Shared 'scenarios' "$Scenario.nft"))
            Copy-Policy -From $A -To $B -Deserialized:$Deserialized -ErrorAction Stop
            $source = Get-Listing $A @('-s')
            $source | Should -Match 'accept'
            Get-Listing $B @('-s') | Should -BeExactly $source
        }
    }

    Context 'counters are copied only when asked' {
        It 'starts a copy from zero without -IncludeCounters' {
            Set-NftTestRuleset $A $Stateful
            Copy-Policy -From $A -To $B -ErrorAction Stop
            $copy = Get-Listing $B
            $copy | Should -Match 'counter cnt \{\s+packets 0 bytes 0'
            $copy | Should -Match '3\.3\.3\.3 counter packets 0 bytes 0'
            $copy | Should -Match 'counter packets 0 bytes 0 accept comment "x"'
            $copy | Should -Match 'quota 10 mbytes drop'
            Get-Listing $B @('-s') | Should -BeExactly (Get-Listing $A @('-s'))
        }

        It 'carries packets, bytes and quota usage with -IncludeCounters (deserialized: <Deserialized>)' -ForEach @(@{ Deserialized = $false }, @{ Deserialized = $true }) {
            Set-NftTestRuleset $A $Stateful
            Copy-Policy -From $A -To $B -Deserialized:$Deserialized -IncludeCounters -ErrorAction Stop
            $source = Get-Listing $A
            $source | Should -Match 'packets 7 bytes 99'
            Get-Listing $B | Should -BeExactly $source
        }
    }

    Context 'Move-NftRule' {
        BeforeEach {
            Set-NftTestRuleset $A @'
table inet t {
	chain c {
		tcp dport 22 counter packets 3 bytes 120 accept comment "ssh"
		tcp dport { 80, 443 } accept
		udp dport 53 accept
	}
}
'@
            $script:rules = @(Get-NftRule -NetworkNamespace $A -Family inet -Table t -Chain c)
        }

        It 'moves a rule after another with its comment and counter values, as one change' {
            $moved = $rules[0] | Move-NftRule -After $rules[2] -PassThru -ErrorAction Stop
            $moved.Position | Should -Be 2
            $moved.Handle | Should -Not -Be $rules[0].Handle
            Get-ChainRules $A | Should -Be @('tcp dport { 80, 443 } accept', 'udp dport 53 accept',
                'tcp dport 22 counter packets 3 bytes 120 accept comment "ssh"')
        }

        It 'moves a rule first, and by handle last' {
            $rules[2] | Move-NftRule -Position First -ErrorAction Stop
            Move-NftRule -NetworkNamespace $A -Family inet -Table t -Chain c -Handle $rules[1].Handle -Position Last -ErrorAction Stop
            Get-ChainRules $A | Should -Be @('udp dport 53 accept', 'tcp dport 22 counter packets 3 bytes 120 accept comment "ssh"',
                'tcp dport { 80, 443 } accept')
        }

        It 'changes nothing with -WhatIf, or when the anchor rule does not exist' {
            $before = Get-Listing $A @('-a')
            $rules[0] | Move-NftRule -Position Last -WhatIf
            { $rules[0] | Move-NftRule -Before 999999 -ErrorAction Stop } | Should -Throw -ErrorId 'NftRuleNotFound*'
            Get-Listing $A @('-a') | Should -BeExactly $before
        }
    }

    Context 'rule views' {
        BeforeAll {
            $script:LongPorts = (9000..9029) -join ', '
        }

        BeforeEach {
            Set-NftTestRuleset $A @"
table inet t {
	chain c {
		tcp dport 22 counter packets 3 bytes 120 accept comment "ssh"
		tcp dport { $LongPorts } ct state new counter packets 77 bytes 8000 log prefix "the end of a long rule: " accept comment "a rather long comment that describes the web rule in some detail"
	}
}
"@
        }

        It 'Format-Table shows position, counters, the stateless rule and the comment, wrapping long rules' {
            $text = Get-NftRule -NetworkNamespace $A -Table t | Format-Table | Out-String -Width 200
            $text | Should -Match '(?m)^\s*Pos\s+Handle\s+Packets\s+Bytes\s+Rule\s+Comment\s*$'
            $text | Should -Match '(?m)^\s+0\s+\d+\s+3\s+120\s+tcp dport 22 counter accept\s+ssh\s*$'
            $text | Should -Not -MatchExactly 'packets \d'
            $text -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 200 }
            # The long rule's row and its continuation lines, read column by column: nothing of the rule or comment is cut.
            $lines = $text -split "`n" | ForEach-Object TrimEnd
            $header = $lines | Where-Object { $_ -match '^\s*Pos\s' } | Select-Object -First 1
            $ruleAt = $header.IndexOf('Rule'); $commentAt = $header.IndexOf('Comment')
            $row = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l.Length -gt $ruleAt -and $l.Substring($ruleAt).StartsWith('tcp dport { 9000') })
            $row | Should -BeGreaterThan 0
            $rowLines = @($lines[$row]) + @($lines[($row + 1)..($lines.Count - 1)] | ForEach-Object -Begin { $go = $true } -Process {
                if ($go -and $_.Length -gt $ruleAt -and $_.Substring(0, $ruleAt).Trim() -eq '') { $_ } else { $go = $false } })
            $rowLines.Count | Should -BeGreaterThan 1
            $rule = -join ($rowLines | ForEach-Object { if ($_.Length -gt $ruleAt) { $_.Substring($ruleAt, [Math]::Min($_.Length, $commentAt - 1) - $ruleAt) } })
            $comment = -join ($rowLines | ForEach-Object { if ($_.Length -gt $commentAt) { $_.Substring($commentAt) } })
            ($rule -replace '\s+', '') | Should -BeExactly ("tcp dport { $LongPorts } ct state new counter log prefix `"the end of a long rule: `" accept" -replace '\s+', '')
            ($comment -replace '\s+', '') | Should -BeExactly 'aratherlongcommentthatdescribesthewebruleinsomedetail'
            $text | Should -Not -Match '…'
        }

        It 'Format-List shows each rule whole, wrapped under its value column' {
            $text = Get-NftRule -NetworkNamespace $A -Table t | Format-List | Out-String -Width 100
            $text | Should -Match '(?m)^Chain\s+: inet t c\s*$'
            $text | Should -Match '(?m)^Position\s+: 1\s*$'
            $text | Should -Match '(?m)^Comment\s+: a rather long comment that describes the web rule in some detail\s*$'
            $text | Should -Match '(?m)^Packets\s+: 77\s*$'
            $text | Should -Not -Match 'RawExpressions'
            $lines = $text -split "`n"
            $at = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match '^Rule\s+: tcp dport \{ 9000' })
            $at | Should -BeGreaterThan 0
            $lines[$at + 1] | Should -Match '^\s{10,}\S'
            $whole = (($lines[$at..($at + 6)] | Where-Object { $_ -match '^(Rule\s+:|\s{10,})' }) -replace '^Rule\s+:', '' -join '') -replace '\s+', ''
            $rule = "tcp dport { $LongPorts } ct state new counter log prefix `"the end of a long rule: `" accept" -replace '\s+', ''
            $whole | Should -Match ([regex]::Escape($rule))
        }
    }
}
