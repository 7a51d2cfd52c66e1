<#
.SYNOPSIS
    Writes a PlatyPS-format markdown skeleton for an NftPS cmdlet from its real metadata — what
    New-MarkdownHelp writes, for machines without PlatyPS. Fill in every {{ ... }}: the build refuses them.
.EXAMPLE
    dotnet tools/NftPS.Run/bin/Debug/net10.0/NftPS.Run.dll -File tools/New-NftHelpSkeleton.ps1 New-NftRule
#>
param(
    [Parameter(Mandatory)] [string[]] $Name,
    [string] $OutputFolder = [System.IO.Path]::Combine($PSScriptRoot, '..', 'docs', 'cmdlets'),
    [switch] $Force
)

$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$common = $common | Where-Object { $_ -notin 'WhatIf', 'Confirm' }

function Get-TypeName([type] $Type) {
    if ($Type.IsGenericType -and $Type.GetGenericTypeDefinition() -eq [Nullable`1]) { $Type = $Type.GetGenericArguments()[0] }
    $Type.Name
}

function Get-SyntaxLine($Command, $Set) {
    $parts = foreach ($p in $Set.Parameters) {
        if ($p.Name -in $common -or $p.Name -in 'WhatIf', 'Confirm') { continue }
        $type = Get-TypeName $p.ParameterType
        $name = if ($p.Position -ge 0) { "[-$($p.Name)]" } else { "-$($p.Name)" }
        $text = if ($type -eq 'SwitchParameter') { $name } else { "$name <$type>" }
        if (-not $p.IsMandatory) { $text = "[$text]" }
        [pscustomobject]@{ Text = $text; Position = $(if ($p.Position -ge 0) { $p.Position } else { [int]::MaxValue }); Mandatory = $p.IsMandatory }
    }
    # Only the core engine is needed (no Sort-Object): positions are small numbers.
    $ordered = @(foreach ($i in 0..31) { $parts | Where-Object Position -eq $i }) +
        @($parts | Where-Object { $_.Position -eq [int]::MaxValue -and $_.Mandatory }) +
        @($parts | Where-Object { $_.Position -eq [int]::MaxValue -and -not $_.Mandatory })
    $tail = @()
    if ($Command.Parameters.ContainsKey('WhatIf')) { $tail = '[-WhatIf]', '[-Confirm]' }
    (@($Command.Name) + ($ordered | ForEach-Object Text) + $tail + '[<CommonParameters>]') -join ' '
}

foreach ($cmdName in ($Name -split ",")) {
    $command = Get-Command $cmdName -ErrorAction Stop
    $sets = @($command.ParameterSets)
    $sb = [System.Text.StringBuilder]::new()
    $null = $sb.AppendLine("---`nexternal help file: NftPS.dll-Help.xml`nModule Name: NftPS`nonline version:`nschema: 2.0.0`n---`n")
    $null = $sb.AppendLine("# $($command.Name)`n`n## SYNOPSIS`n{{ Fill in the Synopsis }}`n`n## SYNTAX`n")
    foreach ($set in $sets) {
        $default = if ($set.IsDefault) { ' (Default)' } else { '' }
        $null = $sb.AppendLine("### $($set.Name)$default`n``````")
        $null = $sb.AppendLine((Get-SyntaxLine $command $set))
        $null = $sb.AppendLine("```````n")
    }
    $null = $sb.AppendLine("## DESCRIPTION`n{{ Fill in the Description }}`n`n## EXAMPLES`n`n### Example 1: {{ title }}`n``````powershell`n{{ code }}`n```````n`n{{ explanation }}`n`n## PARAMETERS`n")
    $names = [string[]]@($command.Parameters.Keys | Where-Object { $_ -notin $common })
    [array]::Sort($names, [System.StringComparer]::Ordinal)
    foreach ($pn in $names) {
        $meta = $command.Parameters[$pn]
        $validate = $meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        $wild = [bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        $null = $sb.AppendLine("### -$pn`n{{ Fill $pn Description }}`n")
        # One yaml block per distinct (required, position, pipeline) combination, as PlatyPS writes them.
        $groups = [ordered]@{}
        foreach ($entry in $meta.ParameterSets.GetEnumerator()) {
            $attr = $entry.Value
            $pipe = @()
            if ($attr.ValueFromPipelineByPropertyName) { $pipe += 'ByPropertyName' }
            if ($attr.ValueFromPipeline) { $pipe += 'ByValue' }
            $pipeText = if ($pipe) { "True ($($pipe -join ', '))" } else { 'False' }
            $position = if ($attr.Position -ge 0) { $attr.Position } else { 'Named' }
            $key = "Required: $($attr.IsMandatory)`nPosition: $position`nDefault value: None`nAccept pipeline input: $pipeText"
            if (-not $groups.Contains($key)) { $groups[$key] = [System.Collections.Generic.List[string]]::new() }
            $groups[$key].Add($entry.Key)
        }
        foreach ($key in $groups.Keys) {
            $inSets = [string[]]$groups[$key]
            [array]::Sort($inSets, [System.StringComparer]::Ordinal)
            $setText = if ($inSets -contains '__AllParameterSets' -or $inSets.Count -eq $sets.Count) { '(All)' } else { $inSets -join ', ' }
            $null = $sb.AppendLine("``````yaml`nType: $(Get-TypeName $meta.ParameterType)`nParameter Sets: $setText`nAliases: $($meta.Aliases -join ', ')".TrimEnd())
            if ($validate) { $null = $sb.AppendLine("Accepted values: $($validate.ValidValues -join ', ')") }
            $null = $sb.AppendLine("`n$key`nAccept wildcard characters: $wild`n```````n")
        }
    }
    $null = $sb.AppendLine("### CommonParameters`nThis cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).`n")
    $null = $sb.AppendLine("## INPUTS`n`n### {{ type }}`n`n## OUTPUTS`n")
    foreach ($t in $command.OutputType) { $null = $sb.AppendLine("### $($t.Name)`n") }
    $null = $sb.AppendLine("## NOTES`n`n## RELATED LINKS")
    $path = [System.IO.Path]::Combine($OutputFolder, "$($command.Name).md")
    if ([System.IO.File]::Exists($path) -and -not $Force) { [Console]::Error.WriteLine("$path exists; -Force overwrites it"); continue }
    [System.IO.File]::WriteAllText($path, $sb.ToString().Replace("`r`n", "`n"))
    $path
}
