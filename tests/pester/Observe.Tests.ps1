#Requires -Version 7.4
# Seeing what the firewall does, as a user would: NFLOG packets as objects, ruleset events naming the process that
# made them, and Prometheus metrics promtool accepts. Traffic only to 127.0.0.1 inside a private namespace.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
    $script:KernelAvailable = Test-NftKernelAvailable
}

Describe 'Seeing what the firewall does' -Skip:(-not $KernelAvailable) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'NftPS.TestHelpers.ps1')
        Import-NftPSUnderTest
        $script:ns = New-NftTestNamespace
        & ip netns exec $ns ip link set lo up

        # One connect to 127.0.0.1:port per entry after a delay, in the background, as root or as nobody.
        function Start-Connects([int] $Port, [string[]] $Users, [double] $Delay = 1.5) {
            $lines = foreach ($u in $Users) {
                $as = if ($u -eq 'nobody') { 'setpriv --reuid=65534 --regid=65534 --clear-groups ' } else { '' }
                "ip netns exec $ns ${as}timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$Port' 2>/dev/null"
            }
            Start-Bash "sleep $Delay; $($lines -join '; ')"
        }

        # Start-Process joins its arguments with spaces; ArgumentList passes the script as one argument.
        function Start-Bash([string] $Script) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new('bash')
            $psi.ArgumentList.Add('-c')
            $psi.ArgumentList.Add($Script)
            [System.Diagnostics.Process]::Start($psi)
        }
    }

    AfterAll {
        Remove-NftTestNamespace $script:ns
    }

    Context 'Receive-NftLog' {
        BeforeAll {
            Set-NftTestRuleset $ns "table inet egress {`n`tchain out {`n`t`ttype filter hook output priority filter; policy accept;`n`t}`n}`n"
            New-NftRule -NetworkNamespace $ns -Family inet -Table egress -Chain out -Protocol tcp -DestinationPort 19 `
                -LogGroup 1 -LogPrefix 'egress-drop: ' -Action Drop
            # A reset answers each SYN at once, so each connect sends exactly one (a drop or an ICMP error would let
            # TCP retransmit it).
            New-NftRule -NetworkNamespace $ns -Family inet -Table egress -Chain out -Rule 'tcp dport 9 log prefix "egress-drop: " group 1 reject with tcp reset'
        }

        It 'adds the log group rule through New-NftRule -LogGroup' {
            Invoke-NftInNamespace $ns @('list', 'ruleset') | Should -Match ([regex]::Escape('tcp dport 19 log prefix "egress-drop: " group 1 drop'))
        }

        It 'returns three loopback SYNs (root, nobody, root) as objects with prefix, hook, interface, uid and 5-tuple' {
            $traffic = Start-Connects -Port 9 -Users root, nobody, root
            $packets = @(Receive-NftLog -NetworkNamespace $ns -Group 1 -Count 3 -Timeout 30)
            $traffic.WaitForExit()
            $packets.Count | Should -Be 3
            $packets.Prefix | Should -Be @('egress-drop: ', 'egress-drop: ', 'egress-drop: ')
            $packets.Hook | Should -Be @('output', 'output', 'output')
            $packets.OutputInterface | Should -Be @('lo', 'lo', 'lo')
            $packets.Uid | Should -Be @(0, 65534, 0) -Because ($packets | Format-Table Uid, SourcePort, Sequence, TcpFlags | Out-String)
            $packets.Protocol | Should -Be @('tcp', 'tcp', 'tcp')
            $packets | ForEach-Object {
                "$($_.SourceAddress)" | Should -Be '127.0.0.1'
                "$($_.DestinationAddress)" | Should -Be '127.0.0.1'
                $_.DestinationPort | Should -Be 9
                $_.SourcePort | Should -BeGreaterThan 1023
                $_.TcpFlags.HasFlag([NftPS.NfTables.Log.NftTcpFlags]::Syn) | Should -BeTrue
                $_.NetworkNamespace | Should -Be $ns
            }
            ($packets | Format-Table | Out-String) | Should -Match 'egress-drop:'
        }

        It 'tells a second reader of the group who holds it' {
            $holder = [NftPS.NfTables.Log.NflogListener]::Open($ns, 5, [System.Threading.CancellationToken]::None)
            try {
                $out = Receive-NftLog -NetworkNamespace $ns -Group 5 -Timeout 5 -ErrorVariable failed -ErrorAction SilentlyContinue
                $out | Should -BeNullOrEmpty
                $failed.Count | Should -Be 1
                $failed[0].FullyQualifiedErrorId | Should -BeLike 'NftLogGroupBusy,*'
                $failed[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
                "$($failed[0])" | Should -Match "NFLOG group 5 is already bound by .*\(pid $PID\)"
            }
            finally { $holder.Dispose() }
        }

        It 'ends a blocked read promptly when the pipeline is stopped (Ctrl+C)' {
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$script:ModuleManifest'; Receive-NftLog -NetworkNamespace '$ns' -Group 6")
            $handle = $ps.BeginInvoke()
            try {
                # Wait until the reader has bound the group, so the stop hits the blocking read.
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (-not ((& ip netns exec $ns cat /proc/net/netfilter/nfnetlink_log) -match '^\s*6\s')) {
                    if ([DateTime]::UtcNow -gt $deadline) { throw 'Receive-NftLog never bound group 6' }
                    Start-Sleep -Milliseconds 20
                }
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $clock.Stop()
                $clock.ElapsedMilliseconds | Should -BeLessThan 200
                $handle.IsCompleted | Should -BeTrue
                # The group is free again.
                (& ip netns exec $ns cat /proc/net/netfilter/nfnetlink_log) -match '^\s*6\s' | Should -BeNullOrEmpty
            }
            finally { $ps.Dispose() }
        }
    }

    Context 'Get-NftEvent' {
        It 'reports a table and a rule added with nft as objects naming process nft and the generation' {
            Set-NftTestRuleset $ns ''
            $nft = Start-Bash "sleep 1.5; ip netns exec $ns nft add table inet ev; ip netns exec $ns nft 'add chain inet ev c; add rule inet ev c tcp dport 22 accept'"
            $events = @(Get-NftEvent -NetworkNamespace $ns -Wait -Count 3 -Timeout 30)
            $nft.WaitForExit()
            $events.Count | Should -Be 3
            $events.ProcessName | Should -Be @('nft', 'nft', 'nft')
            $events.Kind | Should -Be @('Table', 'Chain', 'Rule')
            $events.Action | Should -Be @('Add', 'Add', 'Add')
            $events[2].Text | Should -Be 'tcp dport 22 accept'
            $events[1].Generation | Should -Be ($events[0].Generation + 1)
            $events[2].Generation | Should -Be $events[1].Generation
        }
    }

    Context 'examples/egress-watch.ps1' {
        It 'prints the four numbers matching the scripted mix (two users, three destinations), before and after the change' {
            $watchNs = New-NftTestNamespace
            try {
                $script = Join-Path $PSScriptRoot '..' '..' 'examples' 'egress-watch.ps1'
                $before, $after = & $script -NetworkNamespace $watchNs -GenerateTraffic -Seconds 6
                # The mix: root 3x 127.0.0.2:9, 2x 127.0.0.3:9; nobody 127.0.0.4:25 and 127.0.0.2:9; both 127.0.0.1:80 (allowed).
                $before.DeniedConnections | Should -Be 7
                ($before.TopDestinations | ForEach-Object { "$($_.Destination)=$($_.Connections)" }) -join ' ' |
                    Should -Be '127.0.0.2:9=4 127.0.0.3:9=2 127.0.0.4:25=1'
                ($before.ByUser | ForEach-Object { "$($_.User)=$($_.Connections)" }) -join ' ' | Should -Be 'root=5 nobody=2'
                $before.NewConnections | Should -Be 9
                $before.DropRate | Should -Be ([math]::Round(7 / 9, 3))
                # After 127.0.0.3:9 joined the allow-list.
                $after.DeniedConnections | Should -Be 5
                ($after.ByUser | ForEach-Object { "$($_.User)=$($_.Connections)" }) -join ' ' | Should -Be 'root=3 nobody=2'
                $after.DropRate | Should -Be ([math]::Round(5 / 9, 3))
            }
            finally { Remove-NftTestNamespace $watchNs }
        }
    }

    Context 'Export-NftMetric' {
        It 'writes metrics promtool accepts, with distinct series for identical rules in two chains' -Skip:(-not (Test-Path /usr/bin/promtool)) {
            Set-NftTestRuleset $ns "table inet f {`n`tchain a {`n`t`ttcp dport 22 counter accept comment `"ssh \ 'x' }`"`n`t}`n`tchain b {`n`t`ttcp dport 22 counter accept comment `"ssh \ 'x' }`"`n`t}`n}`n"
            $path = Join-Path ([System.IO.Path]::GetTempPath()) "nftps-pester-$([guid]::NewGuid().ToString('n')).prom"
            try {
                Export-NftMetric -NetworkNamespace $ns -Path $path
                $check = Get-Content -Raw $path | & /usr/bin/promtool check metrics 2>&1
                $LASTEXITCODE | Should -Be 0 -Because "$check"
                $series = Get-Content $path | Where-Object { $_ -like 'nftables_rule_packets_total{*' }
                $series.Count | Should -Be 2
                $series[0] | Should -Match 'chain="a",comment="ssh \\\\ ''x'' }",rule="[0-9a-f]{12}",copy="0"'
                ($series | Select-Object -Unique).Count | Should -Be 2
            }
            finally { Remove-Item $path -ErrorAction SilentlyContinue }
        }
    }
}
