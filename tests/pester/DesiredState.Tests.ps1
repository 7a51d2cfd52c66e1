#Requires -Version 7.4
# Issue 14 as a user sees it under real pwsh: Compare-, Test- and Set-NftRuleset converge a private namespace to a
# desired state, nft (inside the namespace) being the oracle: idempotence (the second Set sends nothing), every shared
# scenario converging from empty, from itself and from another scenario to what `nft -f` of the file lists in a fresh
# namespace, -WhatIf changing nothing, tables not named (iptables-nft's) byte-identical, the difference objects'
# properties, and bad input refused with the ruleset unchanged.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
    # ../shared next to the repository holds the scenarios (absent: those tests are skipped, except under CI).
    $script:SharedPresent = Test-Path (Join-Path $PSScriptRoot '../../../shared/scenarios')
    $script:SkipScenarios = -not $SharedPresent -and $env:CI -ne 'true'
    $names = @('egress-allowlist', 'mail-inbound', 'mail-outbound', 'mail-ratelimit')
    $script:Scenarios = $names | ForEach-Object { @{ Scenario = $_ } }
    # Each scenario from the next one (mail-inbound and mail-outbound share `table ip filter`: a real purge).
    $script:Pairs = for ($i = 0; $i -lt $names.Count; $i++) { @{ From = $names[($i + 1) % $names.Count]; To = $names[$i] } }
    $script:HaveIptables = [bool](Get-Command iptables-nft -ErrorAction SilentlyContinue)
}

Describe 'Desired state: Compare-, Test- and Set-NftRuleset' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:ns = New-NftTestNamespace
        $script:fresh = New-NftTestNamespace
        $script:Shared = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared'))
        # The egress scenario names the user appuser (created as .ci/run and ScenarioUsers.cs create it).
        & id appuser *> $null
        if ($LASTEXITCODE -ne 0) { & useradd -M -r appuser; if ($LASTEXITCODE -ne 0) { throw "useradd appuser failed" } }

        function Get-Scenario([string] $Name) { Get-Content -Raw (Join-Path $Shared 'scenarios' "$Name.nft") }
        # "inet filter", ... : the tables a policy text defines (the scenarios open each with `table FAMILY NAME {`).
        function Get-PolicyTables([string] $Text) {
            [regex]::Matches($Text, '(?m)^\s*table\s+(\w+)\s+(\S+)\s*\{') | ForEach-Object { "$($_.Groups[1].Value) $($_.Groups[2].Value)" }
        }
        # What nft lists for those tables, counters and quota usage aside (nft -s).
        function Get-TablesListing([string] $Namespace, [string[]] $Tables) {
            ($Tables | ForEach-Object { Invoke-NftInNamespace $Namespace (@('-s', 'list', 'table') + ($_ -split ' ')) }) -join "`n"
        }
        function Get-JsonTable([string] $Namespace, [string] $Table) { Invoke-NftInNamespace $Namespace (@('-j', 'list', 'table') + ($Table -split ' ')) }
        function Get-Generation([string] $Namespace) { (Get-NftRuleset -NetworkNamespace $Namespace -Family netdev).Generation }
        # What `nft -f` of the text gives in a namespace of its own: the oracle every convergence is held to.
        function Get-Oracle([string] $Text) {
            Set-NftTestRuleset $fresh $Text
            Get-TablesListing $fresh (Get-PolicyTables $Text)
        }

        $script:Web = @'
table inet web {
	set allowed {
		type ipv4_addr
		flags interval
		elements = { 10.0.0.0/8, 192.0.2.1 }
	}
	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept
		tcp dport 22 ip saddr @allowed counter accept
		tcp dport { 80, 443 } accept
		counter drop
	}
	chain helper {
		udp dport 53 accept
	}
}
'@
    }

    AfterAll {
        Remove-NftTestNamespace $script:ns
        Remove-NftTestNamespace $script:fresh
    }

    BeforeEach {
        Set-NftTestRuleset $ns ''
    }

    Context 'idempotence' {
        It 'applies a policy once; the second Set sends nothing, the generation stays and Test is true' {
            $applied = Set-NftRuleset -NetworkNamespace $ns -Text $Web -PassThru -Confirm:$false
            @($applied).Count | Should -BeGreaterThan 0
            Get-TablesListing $ns 'inet web' | Should -Be (Get-Oracle $Web)
            $generation = Get-Generation $ns
            $again = Set-NftRuleset -NetworkNamespace $ns -Text $Web -PassThru -Confirm:$false
            $again | Should -BeNullOrEmpty
            Get-Generation $ns | Should -Be $generation
            Test-NftRuleset -NetworkNamespace $ns -Text $Web | Should -BeTrue
            Compare-NftRuleset -NetworkNamespace $ns -Text $Web | Should -BeNullOrEmpty
        }

        It 'repairs a rule changed by hand in place: other handles and counters stay' {
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -Confirm:$false
            $before = Get-NftRule -NetworkNamespace $ns -Table web -Chain input
            $changed = $before | Where-Object Text -like 'tcp dport { 80, 443 }*'
            Invoke-NftInNamespace $ns @('replace', 'rule', 'inet', 'web', 'input', 'handle', "$($changed.Handle)", 'tcp', 'dport', '8080', 'accept') | Out-Null
            Test-NftRuleset -NetworkNamespace $ns -Text $Web | Should -BeFalse
            $differences = @(Compare-NftRuleset -NetworkNamespace $ns -Text $Web)
            $differences.Count | Should -Be 1
            $differences[0].ObjectKind | Should -Be 'Rule'
            $differences[0].Chain | Should -Be 'input'
            $differences[0].Change | Should -Be 'Replace'
            $differences[0].Handle | Should -Be $changed.Handle
            # One command, as -WhatIf writes it: the rule's anonymous set is part of the rule's text, not a command of its own.
            $differences[0].Commands | Should -Be @("replace rule inet web input handle $($changed.Handle) tcp dport { 80, 443 } accept")
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -Confirm:$false
            Get-TablesListing $ns 'inet web' | Should -Be (Get-Oracle $Web)
            $after = Get-NftRule -NetworkNamespace $ns -Table web -Chain input
            foreach ($rule in $before | Where-Object Handle -ne $changed.Handle) {
                $after.Handle | Should -Contain $rule.Handle
            }
        }

        It 'removes what a managed table does not list, unless -KeepUnlisted' {
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -Confirm:$false
            Invoke-NftInNamespace $ns @('add', 'rule', 'inet', 'web', 'helper', 'tcp', 'dport', '25', 'accept') | Out-Null
            Invoke-NftInNamespace $ns @('add', 'chain', 'inet', 'web', 'extra') | Out-Null
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -KeepUnlisted -Confirm:$false
            Test-NftRuleset -NetworkNamespace $ns -Text $Web -KeepUnlisted | Should -BeTrue
            Get-TablesListing $ns 'inet web' | Should -Match 'tcp dport 25 accept'
            Test-NftRuleset -NetworkNamespace $ns -Text $Web | Should -BeFalse
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -Force
            Get-TablesListing $ns 'inet web' | Should -Be (Get-Oracle $Web)
        }

        It 'Test -Detailed returns the answer with the differences' {
            $result = Test-NftRuleset -NetworkNamespace $ns -Text $Web -Detailed
            $result.InDesiredState | Should -BeFalse
            @($result.Differences).Count | Should -BeGreaterThan 0
            $result.ManagedTables | Should -Be @('inet web')
            $result.NetworkNamespace | Should -Be $ns
        }
    }

    Context 'the shared scenarios' -Skip:$SkipScenarios {
        It '<Scenario> converges from an empty ruleset to what nft -f lists' -ForEach $Scenarios {
            $text = Get-Scenario $Scenario
            $oracle = Get-Oracle $text
            Set-NftRuleset -NetworkNamespace $ns -Path (Join-Path $Shared 'scenarios' "$Scenario.nft") -Force
            Get-TablesListing $ns (Get-PolicyTables $text) | Should -Be $oracle
            Test-NftRuleset -NetworkNamespace $ns -Path (Join-Path $Shared 'scenarios' "$Scenario.nft") | Should -BeTrue
        }

        It '<Scenario> loaded by nft -f is already in the desired state' -ForEach $Scenarios {
            $text = Get-Scenario $Scenario
            Set-NftTestRuleset $ns $text
            $generation = Get-Generation $ns
            Compare-NftRuleset -NetworkNamespace $ns -Text $text | Should -BeNullOrEmpty
            Set-NftRuleset -NetworkNamespace $ns -Text $text -Force
            Get-Generation $ns | Should -Be $generation
        }

        It '<Scenario> converges from itself with one extra and one missing rule' -ForEach $Scenarios {
            $text = Get-Scenario $Scenario
            $oracle = Get-Oracle $text
            Set-NftTestRuleset $ns $text
            $rule = Get-NftRule -NetworkNamespace $ns | Select-Object -First 1
            Invoke-NftInNamespace $ns @('delete', 'rule', $rule.Family.ToString().ToLowerInvariant(), $rule.Table, $rule.Chain, 'handle', "$($rule.Handle)") | Out-Null
            Invoke-NftInNamespace $ns @('add', 'rule', $rule.Family.ToString().ToLowerInvariant(), $rule.Table, $rule.Chain, 'meta', 'mark', '0x2a', 'accept') | Out-Null
            Set-NftRuleset -NetworkNamespace $ns -Text $text -Force
            Get-TablesListing $ns (Get-PolicyTables $text) | Should -Be $oracle
        }

        It '<To> converges from <From>, leaving the tables <To> does not name as they were' -ForEach $Pairs {
            $fromText = Get-Scenario $From
            $toText = Get-Scenario $To
            $oracle = Get-Oracle $toText
            Set-NftTestRuleset $ns $fromText
            $untouched = @(Get-PolicyTables $fromText | Where-Object { $_ -notin @(Get-PolicyTables $toText) })
            $json = @{}
            foreach ($t in $untouched) { $json[$t] = Get-JsonTable $ns $t }
            Set-NftRuleset -NetworkNamespace $ns -Path (Join-Path $Shared 'scenarios' "$To.nft") -Force
            Get-TablesListing $ns (Get-PolicyTables $toText) | Should -Be $oracle
            foreach ($t in $untouched) { Get-JsonTable $ns $t | Should -Be $json[$t] }
        }
    }

    Context '-WhatIf' {
        It 'changes nothing and shows the nft commands' {
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -Confirm:$false
            Invoke-NftInNamespace $ns @('add', 'rule', 'inet', 'web', 'helper', 'tcp', 'dport', '25', 'accept') | Out-Null
            $changed = $Web -replace 'udp dport 53 accept', 'udp dport 5353 accept'
            $file = New-TemporaryFile
            try {
                Set-Content -Path $file -Value $changed -NoNewline
                $before = Invoke-NftInNamespace $ns @('-j', 'list', 'ruleset')
                $text = Invoke-NftPSChild $ns "Set-NftRuleset -NetworkNamespace `$ns -Path '$($file.FullName)' -WhatIf"
                Invoke-NftInNamespace $ns @('-j', 'list', 'ruleset') | Should -Be $before
                $text | Should -Match 'What if:'
                $text | Should -Match 'udp dport 5353 accept'
                $text | Should -Match 'delete rule inet web helper handle \d+'
            }
            finally { Remove-Item $file -Force }
        }

        It 'shows interval-set elements as nft writes them, and the commands re-parse' {
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -Confirm:$false
            $changed = $Web -replace '10.0.0.0/8, 192.0.2.1', '10.0.0.0/8, 198.51.100.0/24'
            $commands = @(Compare-NftRuleset -NetworkNamespace $ns -Text $changed | ForEach-Object Commands)
            $commands | Should -Contain 'delete element inet web allowed { 192.0.2.1 }'
            $commands | Should -Contain 'add element inet web allowed { 198.51.100.0/24 }'
            $expected = Get-Oracle $changed
            Set-NftTestRuleset $fresh $Web
            foreach ($c in $commands) { Invoke-NftInNamespace $fresh ($c -split ' ') | Out-Null }
            Get-TablesListing $fresh 'inet web' | Should -Be $expected
        }
    }

    Context 'confirmation' {
        It 'asks for a drop policy or a removal as a High impact command would; unattended it needs -Force' {
            $file = New-TemporaryFile
            try {
                Set-Content -Path $file -Value ($Web -replace 'policy accept', 'policy drop') -NoNewline
                $text = Invoke-NftPSChild $ns "Set-NftRuleset -NetworkNamespace `$ns -Path '$($file.FullName)'"
                $text | Should -Match 'NftDesiredStateConfirmationRequired|cannot ask'
                Invoke-NftInNamespace $ns @('list', 'tables') | Should -Not -Match 'table inet web'
                $text = Invoke-NftPSChild $ns "Set-NftRuleset -NetworkNamespace `$ns -Path '$($file.FullName)' -Force; Test-NftRuleset -NetworkNamespace `$ns -Path '$($file.FullName)'"
                $text | Should -Match 'True'
                # A change that removes nothing and drops nothing is Medium: no question, even unattended.
                Set-Content -Path $file -Value $Web -NoNewline
                Set-NftTestRuleset $ns ''
                $text = Invoke-NftPSChild $ns "Set-NftRuleset -NetworkNamespace `$ns -Path '$($file.FullName)'; Test-NftRuleset -NetworkNamespace `$ns -Path '$($file.FullName)'"
                $text | Should -Match 'True'
            }
            finally { Remove-Item $file -Force }
        }
    }

    Context 'tables the desired state does not name' {
        It 'leaves a table written by iptables-nft byte-identical' -Skip:(-not $HaveIptables) {
            & ip netns exec $ns iptables-nft -A INPUT -p tcp --dport 22 -j ACCEPT
            $LASTEXITCODE | Should -Be 0
            & ip netns exec $ns iptables-nft -A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT
            $before = Get-JsonTable $ns 'ip filter'
            Compare-NftRuleset -NetworkNamespace $ns -Text $Web | Where-Object Table -ne 'web' | Should -BeNullOrEmpty
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -Confirm:$false
            Set-NftRuleset -NetworkNamespace $ns -Text ($Web -replace 'counter drop', 'counter reject') -Confirm:$false
            Get-JsonTable $ns 'ip filter' | Should -Be $before
        }
    }

    Context 'the difference objects' {
        It 'have the documented properties, and the default view shows them' {
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -Confirm:$false
            Invoke-NftInNamespace $ns @('delete', 'chain', 'inet', 'web', 'helper') | Out-Null
            $d = @(Compare-NftRuleset -NetworkNamespace $ns -Text $Web)
            $d.Count | Should -BeGreaterThan 0
            $d[0].PSObject.TypeNames[0] | Should -Be 'NftPS.DesiredState.NftDifference'
            foreach ($p in 'Change', 'ObjectKind', 'Family', 'Table', 'Chain', 'Name', 'Position', 'Handle', 'Before', 'After', 'Reason', 'Commands', 'NetworkNamespace') {
                $d[0].PSObject.Properties.Name | Should -Contain $p
            }
            $add = $d | Where-Object { $_.Change -eq 'Add' -and $_.ObjectKind -eq 'Chain' }
            $add.Name | Should -Be 'helper'
            $add.Table | Should -Be 'web'
            $add.Before | Should -BeNullOrEmpty
            @($d.Commands) -join "`n" | Should -Match 'chain inet web helper'
            $table = $d | Format-Table | Out-String -Width 200
            $table | Should -Match 'Change'
            $table | Should -Match 'Before → After'
            $list = $d | Format-List | Out-String -Width 200
            $list | Should -Match 'Commands'
        }
    }

    Context 'objects as the desired state' {
        It 'copies a table from one namespace to another (live objects)' {
            Set-NftTestRuleset $fresh $Web
            Get-NftTable -NetworkNamespace $fresh -Name web | Set-NftRuleset -NetworkNamespace $ns -Confirm:$false
            Get-TablesListing $ns 'inet web' | Should -Be (Get-TablesListing $fresh 'inet web')
            Get-NftRuleset -NetworkNamespace $fresh | Test-NftRuleset -NetworkNamespace $ns | Should -BeTrue
        }

        It 'converges to a snapshot that went through Export-Clixml and Import-Clixml' {
            Set-NftTestRuleset $fresh $Web
            $file = Join-Path ([System.IO.Path]::GetTempPath()) "nftps-ds-$([guid]::NewGuid().ToString('n')).xml"
            try {
                Get-NftRuleset -NetworkNamespace $fresh | Export-Clixml -Path $file -Depth 3
                $copy = Import-Clixml -Path $file
                Test-NftRuleset -NetworkNamespace $ns -InputObject $copy | Should -BeFalse
                $copy | Set-NftRuleset -NetworkNamespace $ns -Confirm:$false
                Get-TablesListing $ns 'inet web' | Should -Be (Get-TablesListing $fresh 'inet web')
                Test-NftRuleset -NetworkNamespace $ns -InputObject $copy | Should -BeTrue
            }
            finally { Remove-Item $file -Force -ErrorAction SilentlyContinue }
        }

        It 'refuses an object piped without a target namespace, and parts of tables' {
            Set-NftTestRuleset $fresh $Web
            $before = Invoke-NftInNamespace $ns @('-j', 'list', 'ruleset')
            Get-NftTable -NetworkNamespace $fresh -Name web | Set-NftRuleset -Confirm:$false -ErrorVariable e1 -ErrorAction SilentlyContinue
            $e1[0].FullyQualifiedErrorId | Should -BeLike 'NftTemplateTargetUnnamed*'
            Get-NftRule -NetworkNamespace $fresh -Table web | Set-NftRuleset -NetworkNamespace $ns -Confirm:$false -ErrorVariable e2 -ErrorAction SilentlyContinue
            $e2[0].FullyQualifiedErrorId | Should -BeLike 'NftDesiredStateInputUnsupported*'
            $e2[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $shallow = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-NftRuleset -NetworkNamespace $fresh), 1))
            $shallow | Set-NftRuleset -NetworkNamespace $ns -Confirm:$false -ErrorVariable e3 -ErrorAction SilentlyContinue
            $e3[0].FullyQualifiedErrorId | Should -BeLike 'NftDesiredStateInputUnsupported*'
            "$($e3[0])" | Should -Match 'Depth'
            Invoke-NftInNamespace $ns @('-j', 'list', 'ruleset') | Should -Be $before
        }
    }

    Context 'bad input' {
        BeforeEach {
            Set-NftTestRuleset $ns $Web
            $script:before = Invoke-NftInNamespace $ns @('-j', 'list', 'ruleset')
        }

        It 'a syntax error in -Text is an error with a caret, and nothing changes' {
            Set-NftRuleset -NetworkNamespace $ns -Text "table inet web {`n`tchain input {`n`t`ttcp dport 22 acept`n`t}`n}" -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
            $e.Count | Should -BeGreaterThan 0
            $e[0].CategoryInfo.Category | Should -BeIn @('InvalidArgument', 'ParserError')
            "$($e[0])" | Should -Match '\^'
            Invoke-NftInNamespace $ns @('-j', 'list', 'ruleset') | Should -Be $before
        }

        It 'a missing file is ObjectNotFound naming the file' {
            Test-NftRuleset -NetworkNamespace $ns -Path '/nonexistent/policy.nft' -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            "$($e[0])" | Should -Match 'nonexistent'
        }

        It 'bad JSON is an error, and nothing changes' {
            Set-NftRuleset -NetworkNamespace $ns -Text '{"nftables": [{"table": ' -AsJson -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
            $e.Count | Should -BeGreaterThan 0
            $e[0].FullyQualifiedErrorId | Should -BeLike 'NftJson*'
            Invoke-NftInNamespace $ns @('-j', 'list', 'ruleset') | Should -Be $before
        }

        It 'a hostile name stays a name' {
            $hostile = "table inet web { chain `"input; flush ruleset`" { }; }"
            Set-NftRuleset -NetworkNamespace $ns -Text $hostile -KeepUnlisted -Confirm:$false -ErrorAction SilentlyContinue
            (Invoke-NftInNamespace $ns @('list', 'ruleset')) | Should -Match 'tcp dport 22'
        }
    }

    Context 'a concurrent change' {
        It 'between the comparison and the send is a conflict; -RetryOnConflict compares again' {
            # The verbose record is handed down the pipeline before the commit: another writer commits right then.
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -Confirm:$false -Verbose -ErrorVariable e -ErrorAction SilentlyContinue 4>&1 |
                ForEach-Object { if ("$_" -match '^Sending') { & ip netns exec $ns nft add table ip bump1 } }
            $e.Count | Should -Be 1
            $e[0].FullyQualifiedErrorId | Should -BeLike 'NftTransactionConflict*'
            $e[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            "$($e[0])" | Should -Match 'RetryOnConflict|changed'
            Invoke-NftInNamespace $ns @('list', 'tables') | Should -Not -Match 'table inet web'
            $script:bumps = 0
            Set-NftRuleset -NetworkNamespace $ns -Text $Web -Confirm:$false -RetryOnConflict -Verbose -ErrorVariable e2 4>&1 |
                ForEach-Object { if ("$_" -match '^Sending' -and $script:bumps++ -eq 0) { & ip netns exec $ns nft add table ip bump2 } }
            $e2 | Should -BeNullOrEmpty
            $script:bumps | Should -Be 2
            Get-TablesListing $ns 'inet web' | Should -Be (Get-Oracle $Web)
            Invoke-NftInNamespace $ns @('list', 'tables') | Should -Match 'table ip bump2'
        }

        It 'inside Invoke-NftTransaction, after the transaction began, refuses the whole transaction' {
            Invoke-NftTransaction -NetworkNamespace $ns {
                & ip netns exec $ns nft add table ip bump3
                Set-NftRuleset -Text $Web -Confirm:$false
            } -ErrorVariable e -ErrorAction SilentlyContinue
            ($e | Where-Object { "$_" -match 'changed after the transaction began' }) | Should -Not -BeNullOrEmpty
            Invoke-NftInNamespace $ns @('list', 'tables') | Should -Not -Match 'table inet web'
        }
    }

    Context 'inside Invoke-NftTransaction' {
        It 'joins the transaction when it comes first' {
            Invoke-NftTransaction -NetworkNamespace $ns {
                Set-NftRuleset -Text $Web -Confirm:$false
                New-NftTable -Family inet -Name other
            }
            Get-TablesListing $ns 'inet web' | Should -Be (Get-Oracle $Web)
            Invoke-NftInNamespace $ns @('list', 'tables') | Should -Match 'table inet other'
        }

        It 'refuses after a change to a managed table, and nothing of the transaction lands' {
            $before = Invoke-NftInNamespace $ns @('-j', 'list', 'ruleset')
            Invoke-NftTransaction -NetworkNamespace $ns {
                New-NftTable -Family inet -Name web
                Set-NftRuleset -Text $Web -Confirm:$false
            } -ErrorVariable e -ErrorAction SilentlyContinue
            # The block's own error (NftDesiredStateTransactionStale) goes to the block's stream; the transaction says why it did not commit.
            ($e | Where-Object { "$_" -match 'Set-NftRuleset cannot join this transaction' }) | Should -Not -BeNullOrEmpty
            Invoke-NftInNamespace $ns @('-j', 'list', 'ruleset') | Should -Be $before
        }
    }
}
