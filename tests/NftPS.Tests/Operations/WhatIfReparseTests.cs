using System.Text.RegularExpressions;
using NftPS.Language.Evaluate;
using NftPS.Language.Script;
using NftPS.NfTables;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Operations;

/// <summary>What the change cmdlets show for -WhatIf is nft text that parses back to the operations it names.</summary>
public class WhatIfReparseTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;
    public WhatIfReparseTests(ScriptFixture fx) => _fx = fx;

    public static IEnumerable<object[]> Commands() => new[]
    {
        "New-NftTable -NetworkNamespace $ns -Family inet -Name 'new table' -Comment \"a; b 'c'\" -WhatIf",
        "New-NftChain -NetworkNamespace $ns -Family inet -Table t -Name 'in put' -Type filter -Hook input -Priority -5 -Policy drop -Comment 'x y' -WhatIf",
        "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Protocol tcp -DestinationPort 80,443 -Action Accept -Comment 'web; ok' -WhatIf",
        "New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'ip saddr { 10.0.0.1, 10.0.0.2 } counter drop' -WhatIf",
        "Get-NftRule -NetworkNamespace $ns -Table t | Remove-NftRule -WhatIf",
        "Remove-NftChain -NetworkNamespace $ns -Family inet -Table t -Name c -WhatIf",
        "Clear-NftChain -NetworkNamespace $ns -Family inet -Table t -Name c -WhatIf",
        "Clear-NftSet -NetworkNamespace $ns -Family inet -Table t -Name s -WhatIf",
        "Remove-NftSet -NetworkNamespace $ns -Family inet -Table t -Name s -WhatIf",
        "Remove-NftTable -NetworkNamespace $ns -Family inet -Name t -WhatIf",
        "New-NftSet -NetworkNamespace $ns -Family inet -Table t -Name 'new set' -Type ipv4_addr -Flags interval -Comment 'c' -WhatIf",
    }.Select(c => new object[] { c });

    private static readonly Regex Question = new(@"^Performing the operation ""[^""]*"" on target ""(?<text>[\s\S]*)""\.\s*$");

    [KernelTheory]
    [MemberData(nameof(Commands))]
    public void The_text_shown_reparses(string command)
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("table inet t {\n set s {\n type ipv4_addr\n }\n chain c {\n tcp dport 22 accept\n }\n}\n").EnsureSuccess("nft -f");
        string output = host.RunText(command);
        var shown = output.Split("What if: ").Skip(1).Select(q => Question.Match(q.Trim())).ToList();
        Assert.NotEmpty(shown);
        foreach (var m in shown)
        {
            Assert.True(m.Success, output);
            string text = m.Groups["text"].Value;
            // A fresh context per parse: batch-local ids (anonymous sets) count from the start each time.
            ScriptContext Context() => new()
            {
                FindExistingSet = (_, _, name) => name == "s" ? SetDeclarations.FromType("s", "ipv4_addr", null) : null,
            };
            var batch = new NftBatch();
            NftScript.Parse(text).QueueOn(batch, Context());
            Assert.NotEqual(0, batch.Count);
            var again = new NftBatch();
            NftScript.Parse(batch.ToString()).QueueOn(again, Context());
            Assert.True(batch.TypedOperations.SequenceEqual(again.TypedOperations), text);
        }
    }
}
