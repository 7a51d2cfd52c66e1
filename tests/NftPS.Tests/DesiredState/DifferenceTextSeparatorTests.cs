using NftPS.DesiredState;
using NftPS.Language.Script;
using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.Tests.DesiredState;

/// <summary>A difference's one-line text of a set is nft text nft would take: the printer's line breaks ended block
/// items, so collapsing them keeps a `;` after each (nft refuses `set s { type ipv4_addr }`).</summary>
public class DifferenceTextSeparatorTests
{
    [Fact]
    public void A_sets_one_line_text_ends_each_item_and_parses()
    {
        var set = new NftSet { Family = NftFamily.Ip, Table = "t", Name = "s", Flags = 0x4, KeyType = 7, KeyLength = 4 };
        string text = DifferenceText.Set(set, new NftRuleset());
        Assert.Contains("type ipv4_addr;", text);
        Assert.DoesNotContain("\n", text);
        NftScript.Parse("table ip t {\n" + text + "\n}\n");
    }
}
