# What HelpExamples.Tests.ps1 needs to know about particular examples, keyed 'Cmdlet N'. An example not listed runs
# as written, in namespace blue reset to the fixture, and must succeed. Keys of a case:
#   Check      { param($r) ... }  the result the prose states (see Invoke-HelpExample for what $r holds)
#   Probe      { ... }            run in the example's scope after it; its output is $r.Values.Probe (as strings)
#   Rulesets   @{ ns = 'empty' }  a namespace that starts empty instead of from the fixture
#   Setup      'nft command'      run in blue after the reset (what the prose says exists beforehand)
#   Background 'bash script'      run in blue while the example runs: the packets or commits a waiting example waits for
#   Sleep      seconds            the most one Start-Sleep may wait (0 when left out; -1 ends an endless loop there)
#   Rewrite    @(from, to)...     text replaced before running: only to shorten waits or to avoid a host path; every
#                                 entry says why
#   Timeout    seconds            how long the example may take (60)
#   Skip       'why'              the example cannot run here
. (Join-Path $PSScriptRoot 'HelpExamples.Client.ps1')

# Connections to a local port from inside blue, some a second apart, starting after the example's waiter is up.
function Get-ConnectLoop([int] $Port, [int] $Times = 12, [double] $Gap = 0.3) {
    "sleep 0.5; for i in `$(seq $Times); do timeout 0.3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$Port'; sleep $Gap; done"
}

# A few commits in blue, the first after the example's listener is up.
$script:CommitLoop = 'sleep 0.5; nft add table ip events; nft add chain ip events c; nft add rule ip events c counter; nft delete rule ip events c handle 2; sleep 0.3; nft delete table ip events'

# The lines of an nft listing that contain $Text, without their handles, trimmed.
function Find-Listing([string] $Listing, [string] $Text) {
    @($Listing -split "`n" | Where-Object { $_.Contains($Text) } | ForEach-Object { ($_ -replace ' # handle \d+$', '').Trim() })
}

# One table of an nft listing ('inet egress'), from its header to its closing brace, without handles.
function Get-ListedTable([string] $Listing, [string] $Table) {
    $m = [regex]::Match($Listing, "(?ms)^table $([regex]::Escape($Table)) \{.*?^\}")
    if ($m.Success) { $m.Value -replace ' # handle \d+', '' } else { '' }
}

# The elements of one set or map of a listing, as one line ('192.0.2.7, 198.51.100.23').
function Get-ListedElements([string] $Listing, [string] $Table, [string] $Set) {
    $text = (Get-ListedTable $Listing $Table) -replace '\s+', ' '
    [regex]::Match($text, "(set|map) $([regex]::Escape($Set)) \{[^}]*?elements = \{ ([^}]*) \}").Groups[2].Value
}

# A listing with what differs between a copy and its original taken out: handles, counter values, quota usage, expiry.
function Get-ComparableListing([string] $Listing) {
    $Listing -replace ' # handle \d+', '' -replace 'packets \d+ bytes \d+', 'packets N bytes N' -replace ' used \d+ \w+', '' -replace ' expires [0-9hms]+', ''
}

$script:HelpExampleCases = @{
    # --- examples that wait for packets, log entries or commits: the background makes them come -------------------
    'Get-NftEvent 1'     = @{ Background = $CommitLoop; Rewrite = @(, @('-Timeout 3600', '-Timeout 2')); Timeout = 30  # an hour of watching, shortened
        Check = { param($r) $r.Output | Should -Match 'events' } }
    'Get-NftEvent 2'     = @{ Background = $CommitLoop; Rewrite = @(, @('-Timeout 600', '-Timeout 2')); Timeout = 30  # ten minutes of recording, shortened
        Probe = { $changes | Where-Object { $_.Kind -eq 'Rule' -and $_.Action -eq 'Delete' } | ForEach-Object { "$($_.Table) $($_.Chain) $($_.Handle)" } }
        Check = { param($r) $r.Values.Probe | Should -Be 'events c 2' } }
    'Get-NftEvent 3'     = @{ Background = $CommitLoop
        Check = { param($r) $r.Output | Should -Match 'events' } }
    'Trace-NftPacket 1'  = @{ Background = (Get-ConnectLoop 8080)
        Check = { param($r) $r.Output | Should -Match '8080' } }
    'Trace-NftPacket 2'  = @{ Background = (Get-ConnectLoop 8080)
        Check = { param($r) $r.Output | Should -Match 'egress\s+output\s+8\s+continue\s+counter' } }
    'Trace-NftPacket 3'  = @{ Background = (Get-ConnectLoop 8080); Rewrite = @(, @('-Timeout 60', '-Timeout 2')) }  # a minute of tracing, shortened
    'Receive-NftLog 1'   = @{ Background = (Get-ConnectLoop 25); Rewrite = @(, @('-Timeout 60', '-Timeout 2'))  # a minute of logging, shortened
        Check = { param($r) $r.Output | Should -Match 'egress-drop' } }
    'Receive-NftLog 2'   = @{ Background = (Get-ConnectLoop 25); Rewrite = @(, @('-Timeout 300', '-Timeout 2'))  # five minutes of logging, shortened
        Setup = 'add rule inet egress output tcp dport 25 log prefix "egress-drop: " group 1 drop'
        Check = { param($r) $r.Output | Should -Match '127\.0\.0\.1:25' } }
    'Receive-NftLog 3'   = @{ Background = 'sleep 0.5; for i in $(seq 20); do echo x > /dev/udp/127.0.0.1/9999; sleep 0.3; done'
        Setup = 'insert rule inet filter input udp dport 9999 log group 2'
        Check = { param($r) $r.Values.OutputCount | Should -Be 1 } }
    'New-NftRule 7'      = @{ Background = (Get-ConnectLoop 25 -Times 30 -Gap 0.1)
        Check = { param($r)
            $r.Values.OutputCount | Should -Be 10
            Find-Listing $r.Listings.blue 'group 1' | Should -Be 'tcp dport 25 ct state new log prefix "egress-drop: " group 1 drop' } }
    # --- endless watch loops run once: their first Start-Sleep ends them ---------------------------------------------
    'Export-NftMetric 1' = @{ Sleep = -1; ReadFiles = 'nftables.prom'
        Rewrite = @(, @('/var/lib/prometheus/node-exporter/nftables.prom', './nftables.prom'))  # not the host's node_exporter directory
        Check = { param($r) $r.Values.'file:nftables.prom' | Should -Match 'egress-drop' } }
    'Get-NftRule 2'      = @{ Sleep = -1; Check = { param($r) $r.Output | Should -Match '\s3 packets would be dropped: counter' } }
    'Reset-NftCounter 1' = @{ Sleep = -1; Check = { param($r) $r.Output | Should -Match ' 0 packets would have been dropped' } }
    # --- namespaces and paths named by the examples ------------------------------------------------------------------
    'Get-NftTable 2'     = @{ Background = 'exec sleep 30'
        Rewrite = @(, @('/proc/4711/ns/net', '/proc/$global:HelpExampleBackgroundPid/ns/net'))  # a process that exists, inside blue
        Check = { param($r) ([regex]::Matches($r.Output, '(?m)^inet\s+filter\b')).Count | Should -Be 2 } }
    # The runner shadows the host's /etc/nftables.conf with tests/fixtures/help-examples/nftables.conf; where the host
    # has none there is nothing to shadow, and the example reads the same file from its working directory instead.
    'Import-NftRuleset 1' = @{ Rewrite = $(if (-not (Test-Path /etc/nftables.conf)) { @('/etc/nftables.conf', './nftables.conf') })
        Check = { param($r) $r.Listings.blue | Should -Match '(?s)^table inet filter \{.*chain output' } }
    'New-NftRule 5'      = @{ Rulesets = @{ prod = 'empty' }
        Check = { param($r) Get-ComparableListing $r.Listings.prod | Should -Be (Get-ComparableListing $r.Listings.staging) } }
    'New-NftTable 3'     = @{ Rulesets = @{ prod = 'empty' }
        Check = { param($r) ($r.Listings.prod -split "`n" | Where-Object { $_ -match '^(table|\s+chain) ' }) -replace ' # handle \d+' |
                Should -Be (($r.Listings.staging -split "`n" | Where-Object { $_ -match '^(table|\s+chain) ' }) -replace ' # handle \d+') } }
    'New-NftSet 3'       = @{ Rulesets = @{ prod = 'empty' }
        Check = { param($r) Find-Listing $r.Listings.prod 'elements' | Should -Be (Find-Listing $r.Listings.staging 'elements' | Where-Object { $_ -notmatch 'expires' } | Select-Object -First 3) } }
    # `nft` in these examples lists the host's ruleset: here staging plays the host, and blue is the empty test namespace.
    'ConvertFrom-NftJson 2' = @{ NftIn = 'staging'; Rulesets = @{ blue = 'empty'; staging = 'fixture' }
        Check = { param($r) $r.Listings.blue | Should -BeNullOrEmpty } }
    'Import-NftRuleset 4' = @{ NftIn = 'staging'; Rulesets = @{ blue = 'empty'; staging = 'fixture' }
        # nft's JSON (1.0.6) has no chain comments and no dynamic flag: the copy has everything else.
        Check = { param($r) Get-ComparableListing $r.Listings.blue | Should -Be ((Get-ComparableListing $r.Listings.staging) -replace '\n\t\tcomment "jumped to from input"' -replace '\n\t\tflags dynamic,timeout') } }
    'Add-NftSetElement 4' = @{ Setup = @{ staging = 'add element inet filter blocked { 198.51.100.77 }' }
        Check = { param($r) Get-ListedElements $r.Listings.prod 'inet filter' blocked | Should -Be '192.0.2.7, 198.51.100.77' } }
    'Set-NftRuleset 4'   = @{ Setup = 'add rule inet web input tcp dport 9443 accept'
        Check = { param($r) Get-ListedTable $r.Listings.green 'inet web' | Should -Be (Get-ListedTable $r.Listings.blue 'inet web') } }
    # --- examples that show an error ----------------------------------------------------------------------------------
    'ConvertFrom-NftJson 4' = @{ ExpectError = [regex]::Escape('nftables[0].add.rule.expr[0]: unknown statement ''acept'' (value: {"acept":null})') }
    'ConvertTo-NftJson 4' = @{ ExpectError = [regex]::Escape('ConvertTo-NftJson takes NftPS rulesets, tables, chains, rules, sets, objects and flowtables, not System.Int32.') }
    # --- examples that wait for a rollback window ------------------------------------------------------------------
    'Confirm-NftChange 1' = @{ Timeout = 120
        Check = { param($r) Find-Listing (Get-ListedTable $r.Listings.blue 'inet guard') 'policy' | Should -Be 'type filter hook input priority filter; policy drop;' } }
    'Confirm-NftChange 2' = @{ Sleep = 2  # the window is one second
        Check = { param($r)
            $r.Output | Should -Match 'TooLate'
            Find-Listing (Get-ListedTable $r.Listings.blue 'inet guard') 'policy' | Should -Be 'type filter hook input priority filter; policy accept;' } }
    # --- what the prose says the others do ---------------------------------------------------------------------------
    'Add-NftSetElement 1' = @{ Check = { param($r) Find-Listing (Get-ListedTable $r.Listings.blue 'inet egress') '203.0.113.25' | Should -Not -BeNullOrEmpty } }
    'Add-NftSetElement 2' = @{ Check = { param($r) Get-ListedElements $r.Listings.blue 'inet filter' blocked | Should -Be '192.0.2.7, 198.51.100.23, 203.0.113.9' } }
    'Add-NftSetElement 3' = @{ Check = { param($r) $r.Listings.blue | Should -Match '192\.0\.2\.99 timeout 1h expires \S+ comment "manual block"' } }
    'Clear-NftChain 1'   = @{ Check = { param($r) Get-ListedTable $r.Listings.blue 'inet egress' | Should -Match '(?s)policy accept;\s+ct state established,related accept\s+udp dport 53 accept\s+\}' } }
    'Clear-NftChain 2'   = @{ Check = { param($r) Get-ListedTable $r.Listings.blue 'inet filter' | Should -Not -Match 'accept\s*$|drop\s*$' } }
    'Clear-NftRuleset 1' = @{ Check = { param($r) $r.Listings.blue | Should -BeNullOrEmpty } }
    'Clear-NftRuleset 2' = @{ Check = { param($r) ($r.Listings.blue -replace ' # handle \d+') | Should -Match '(?s)^table inet filter \{\s+chain input \{.*tcp dport 22 accept comment "ssh"\s+\}\s+\}$' } }
    'Clear-NftSet 1'     = @{ Check = { param($r) Get-ListedElements $r.Listings.blue 'inet egress' allowed_v4 | Should -Be '10.10.0.10, 198.51.100.0/24, 203.0.113.25' } }
    'Clear-NftSet 2'     = @{ Check = { param($r) Get-ListedTable $r.Listings.blue 'inet mailguard' | Should -Not -Match '192\.0\.2\.50' } }
    'Compare-NftRuleset 1' = @{ Check = { param($r) $r.Output | Should -Match 'web' } }
    'Compare-NftRuleset 2' = @{ Check = { param($r) $r.Output | Should -Match 'Commands\s+:.*tcp dport 443 accept' } }
    'ConvertFrom-NftJson 1' = @{ Check = { param($r)
            ($r.Output.Trim() -split "`r?`n") | Should -Be @('add table inet web', 'add chain inet web input { type filter hook input priority 0; policy drop; }',
                'add rule inet web input ct state established,related accept', 'add rule inet web input tcp dport { 80, 443 } counter accept') } }
    'ConvertFrom-NftJson 3' = @{ Check = { param($r) $r.Values.OutputCount | Should -Be 2 } }
    'Export-NftRuleset 2' = @{ ReadFiles = 'blue-before.nft'
        Check = { param($r) $r.Values.'file:blue-before.nft' | Should -Match 'table inet filter'; $r.Values.'file:blue-before.nft' | Should -Not -Match 'packets \d' } }
    'Export-NftRuleset 3' = @{ Check = { param($r) $r.Host | Should -Match ([regex]::Escape('What if: Performing the operation "Write the nft ruleset" on target "/etc/nftables.conf".')) } }
    'Export-NftRuleset 4' = @{ Check = { param($r) $r.Values.Files | Should -Contain 'firewall/ruleset.nft' } }
    'Export-NftRuleset 5' = @{ Probe = { nft -j -s list ruleset }  # the prose: the same text nft -j -s list ruleset prints
        # ...but for the seconds left to an element's timeout, which nft -j -s prints (nft -s does not) and NftPS leaves out.
        Check = { param($r) $r.Output.Trim() | Should -Be (($r.Values.Probe -join "`n").Trim() -replace ', "expires": \d+') } }
    'Get-NftObject 2'    = @{ Check = { param($r) ($r.Output.Trim() -split "`r?`n") | Should -Be @('smtp_rate: rate over 30/minute burst 10 packets', 'submission_rate: rate over 10/minute burst 8 packets') } }
    'Get-NftRule 4'      = @{ Check = { param($r) $r.Output.Trim() | Should -Be '16' } }
    'Import-NftRuleset 2' = @{ Check = { param($r) $r.Host | Should -Match 'limit name "smtp_rate"' } }
    'Import-NftRuleset 3' = @{ Check = { param($r) (Find-Listing $r.Listings.blue 'from nftables.d').Count | Should -Be 2 } }
    'Import-NftRuleset 5' = @{ Check = { param($r) $r.Listings.blue | Should -Not -Match 'table inet guard' } }
    'Invoke-NftTransaction 1' = @{ Rulesets = @{ blue = 'empty' }
        Check = { param($r) (Get-ListedTable $r.Listings.blue 'inet egress') -replace '\s+', ' ' | Should -Match 'set allowed_v4 .*elements = \{ 10\.10\.0\.10, 198\.51\.100\.0/24 \}.*chain output .*policy accept; ct state established,related accept oifname "lo" accept tcp dport 443 ip daddr @allowed_v4 accept counter packets 0 bytes 0 log prefix "egress-drop: " \}' } }
    'Invoke-NftTransaction 2' = @{ Check = { param($r) Find-Listing (Get-ListedTable $r.Listings.mail 'inet mailguard') 'policy' | Should -Be 'type filter hook input priority filter - 10; policy drop;' } }
    'Invoke-NftTransaction 3' = @{ Check = { param($r) $r.Host | Should -Match 'add table inet t'; $r.Host | Should -Match 'add chain inet t c' } }
    'Invoke-NftTransaction 4' = @{ Check = { param($r) Find-Listing (Get-ListedTable $r.Listings.blue 'inet guard') 'policy' | Should -Be 'type filter hook input priority filter; policy drop;' } }
    'Move-NftRule 1'     = @{ Check = { param($r) Find-Listing $r.Listings.blue 'comment "' | Where-Object { $_ -notmatch '^comment' } | Select-Object -First 2 | Should -Be @(
                'ip saddr @blocked counter packets 0 bytes 0 drop comment "blocked sources"', 'tcp dport 22 counter name "ssh_attempts" counter packets 7 bytes 420 accept comment "ssh"') } }
    'Move-NftRule 2'     = @{ Check = { param($r) $r.Host | Should -Match 'delete rule inet filter input handle 15' } }
    'New-NftChain 2'     = @{ Check = { param($r) $r.Listings.mail | Should -Match 'type filter hook input priority filter - 10; policy accept;' } }
    'New-NftMap 1'       = @{ Check = { param($r) $r.Listings.blue | Should -Match 'map services \{ # handle \d+\s+type inet_service : verdict\s+elements = \{ 22 : accept, 25 : jump smtp_guard \}' } }
    'New-NftMap 2'       = @{ Check = { param($r) Get-ListedTable $r.Listings.blue 'ip nat' | Should -Match 'map forward \{\s+type inet_service : ipv4_addr\s+elements = \{ 8080 : 10\.0\.0\.5 \}' } }
    'New-NftObject 1'    = @{ Check = { param($r) Find-Listing $r.Listings.blue 'name "egress_dropped"' | Should -Be 'counter name "egress_dropped" log prefix "egress-drop: "' } }
    'New-NftObject 3'    = @{ Check = { param($r) $r.Output | Should -Match 'backup_quota'; $r.Listings.blue | Should -Match 'quota backup_quota \{ # handle \d+\s+over 204800 mbytes' } }
    'New-NftRule 1'      = @{ Check = { param($r) Find-Listing $r.Listings.blue 'level info' | Should -Contain 'counter packets 0 bytes 0 log prefix "egress-drop: " level info' } }
    'New-NftRule 2'      = @{ Check = { param($r) Find-Listing $r.Listings.blue 'over the limit' | Should -Be 'tcp dport { 465, 587 } ct state new counter packets 0 bytes 0 drop comment "over the limit"' } }
    'New-NftRule 3'      = @{ Check = { param($r) $r.Listings.blue | Should -Match 'ip saddr @blocked drop # handle \d+\s+tcp dport 22 ' } }
    'New-NftRule 4'      = @{ Check = { param($r) $r.Host | Should -Match ([regex]::Escape('add rule inet t c tcp dport { 80, 443 } accept')) } }
    'New-NftRule 6'      = @{ Check = { param($r) (Find-Listing $r.Listings.prod 'packets 7 bytes 420').Count | Should -Be 2 } }
    'New-NftTable 1'     = @{ Rulesets = @{ blue = 'empty' }; Check = { param($r) $r.Listings.blue | Should -Match 'table inet egress \{ # handle \d+\s+comment "outbound allow-list"' } }
    'New-NftTable 2'     = @{ Check = { param($r) $r.Host | Should -Match 'add table inet filter'; $r.Values.OutputTypes | Should -Be 'NftPS.NfTables.Model.NftTable' } }
    'Remove-NftChain 1'  = @{ Check = { param($r) $r.Listings.blue | Should -Not -Match 'ssh_guard' } }
    'Remove-NftObject 1' = @{ Check = { param($r) $r.Listings.blue | Should -Not -Match 'egress_dropped' } }
    'Remove-NftObject 2' = @{ Check = { param($r) $r.Host | Should -Match 'delete quota inet filter backup_used' } }
    'Remove-NftRule 1'   = @{ Check = { param($r) ([regex]::Matches($r.Host, 'delete rule inet filter input handle')).Count | Should -Be 3 } }
    'Remove-NftRule 2'   = @{ Check = { param($r) $r.Listings.blue | Should -Not -Match '# handle 12\b' } }
    'Remove-NftSet 1'    = @{ Check = { param($r) $r.Listings.blue | Should -Not -Match 'blocked' } }
    'Remove-NftSetElement 1' = @{ Setup = 'add element inet egress allowed_v4 { 203.0.113.25 }'
        Check = { param($r) $r.Listings.blue | Should -Not -Match '203\.0\.113\.25' } }
    'Remove-NftSetElement 2' = @{ Check = { param($r) $r.Host | Should -Match 'delete element inet mailguard offenders \{ 192\.0\.2\.50 \}' } }
    'Remove-NftTable 1'  = @{ Check = { param($r) $r.Listings.blue | Should -Not -Match 'table inet egress' } }
    'Remove-NftTable 2'  = @{ Check = { param($r) $r.Listings.blue | Should -BeNullOrEmpty; $r.Host | Should -Match 'delete table ip nat' } }
    'Rename-NftChain 1'  = @{ Check = { param($r) $r.Listings.blue | Should -Match 'chain ssh_limits \{'; $r.Listings.blue | Should -Not -Match 'ssh_guard' } }
    'Rename-NftChain 2'  = @{ Check = { param($r) $r.Host | Should -Match 'rename chain inet filter legacy_in input_extra'; $r.Listings.blue | Should -Match 'legacy_in' } }
    'Reset-NftCounter 2' = @{ Check = { param($r) $r.Listings.blue | Should -Not -Match 'packets 7 bytes 420' } }
    'Set-NftChain 1'     = @{ Check = { param($r) $r.Output | Should -Match 'drop'; Find-Listing (Get-ListedTable $r.Listings.blue 'inet egress') 'policy' | Should -Be 'type filter hook output priority filter; policy drop;' } }
    'Set-NftRule 1'      = @{ Check = { param($r) Find-Listing $r.Listings.blue 'egress-drop' | Should -Be 'counter packets 0 bytes 0 log prefix "egress-drop: " level info drop comment "egress-drop"' } }
    'Set-NftRule 2'      = @{ Check = { param($r) $r.Host | Should -Match 'replace rule inet filter input handle 14 tcp dport 22 ip saddr @admin_hosts accept' } }
    'Set-NftRuleset 1'   = @{ Check = { param($r) "$($r.Verbose)" | Should -Match 'Already in the desired state'; Find-Listing $r.Listings.blue 'tcp dport' | Should -Contain 'tcp dport 443 accept' } }
    'Set-NftRuleset 2'   = @{ Check = { param($r) $r.Host | Should -Match 'replace rule inet web input handle 4 tcp dport 443 accept'; $r.Listings.blue | Should -Match '8443' } }
    'Set-NftRuleset 3'   = @{ Check = { param($r) $r.Listings.blue | Should -Match 'dport 443 accept'; $r.Listings.blue | Should -Match 'dport 8443 accept' } }
    'Set-NftRuleset 6'   = @{ Check = { param($r) $r.Listings.blue | Should -Match 'dport 443 accept'; $r.Listings.blue | Should -Not -Match 'dport 8443 accept' } }
    'Set-NftRuleset 7'   = @{ Check = { param($r) $r.Listings.blue | Should -Not -Match 'table inet guard' } }
    'Test-NftRuleset 1'  = @{ Check = { param($r) $r.Listings.blue | Should -Not -Match 'dport 8443 accept' } }
    'Test-NftRuleset 2'  = @{ Check = { param($r) ($r.Output.Trim() -split "`n")[0] | Should -Be 'False' } }
    'Undo-NftChange 1'   = @{ Check = { param($r) Find-Listing (Get-ListedTable $r.Listings.blue 'inet guard') 'policy' | Should -Be 'type filter hook input priority filter; policy accept;' } }
    'Get-NftPendingChange 1' = @{ Check = { param($r) $r.Output | Should -Match 'inet guard'; Find-Listing (Get-ListedTable $r.Listings.blue 'inet guard') 'policy' | Should -Be 'type filter hook input priority filter; policy accept;' } }
}
