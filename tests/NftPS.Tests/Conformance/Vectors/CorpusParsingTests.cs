using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Conformance.Vectors;

/// <summary>The parsers on the whole shared corpus: the counts must be the ones the README states.</summary>
public class CorpusParsingTests(ITestOutputHelper output)
{
    [SharedFact]
    public void EveryVectorFileParsesAndOkLinesMatchTheReadme()
    {
        var files = ConformanceCorpus.LoadVectorFiles();
        foreach (var w in files.SelectMany(f => f.Warnings)) output.WriteLine(w);
        Assert.Empty(files.SelectMany(f => f.Warnings));
        var okLines = files.GroupBy(f => f.Folder).ToDictionary(g => g.Key, g => g.Sum(f => f.EnabledOkRules.Count()));
        var expected = new Dictionary<string, int> { ["any"] = 421, ["arp"] = 45, ["bridge"] = 68, ["inet"] = 430, ["ip"] = 342, ["ip6"] = 430, ["netdev"] = 33 };
        Assert.Equal(expected.OrderBy(k => k.Key), okLines.OrderBy(k => k.Key));
        Assert.Equal(216, files.Sum(f => f.Rules.Count(r => !r.Disabled && r.Expect == Expectation.Fail)));
        var directives = files.SelectMany(f => f.Lines).Where(l => l is SetDirective or ElementDirective or ObjectDirective).ToList();
        Assert.Equal(96, directives.Count);
        Assert.Equal(13, directives.Count(d => d is SetDirective { Expect: Expectation.Fail } or ElementDirective { Expect: Expectation.Fail } or ObjectDirective { Expect: Expectation.Fail }));
    }

    [SharedFact]
    public void StatusRowsNameTheParsedRuleLines()
    {
        var files = ConformanceCorpus.LoadVectorFiles().ToDictionary(f => f.Name);
        var rows = ConformanceCorpus.LineStatuses();
        Assert.Equal(1769 + 216, rows.Count);
        foreach (var row in rows)
        {
            var rule = files[row.File].Rules.SingleOrDefault(r => r.Line == row.Line);
            Assert.True(rule is not null, $"{row.File}:{row.Line} is not a rule line");
            Assert.Equal(row.Rule, rule!.Rule.Trim());
            Assert.Equal(row.Expect, rule.Expect == Expectation.Ok ? "ok" : "fail");
        }
        Assert.Equal(1611, rows.Count(r => r.Accepted));
        var dumps = ConformanceCorpus.DumpStatuses();
        Assert.Equal(300, dumps.Count);
        Assert.Equal(246, dumps.Count(d => d.Loaded));
        Assert.Equal(200, dumps.Count(d => d.ListedIdentical));
    }

    [SharedFact]
    public void EveryPayloadAndJsonFileParses()
    {
        int records = 0, json = 0;
        foreach (var f in ConformanceCorpus.LoadVectorFiles())
        {
            var lookup = PayloadLookup.ForVectorFile(f.Path);
            foreach (var r in f.EnabledOkRules)
            {
                foreach (var t in f.TablesBefore(r.Line))
                    if (lookup.Find(r.Rule, t.Family) is { } p)
                    {
                        records++;
                        Assert.NotEmpty(p.Expressions);
                    }
            }
            foreach (string ext in new[] { ".json", ".json.output" })
            {
                string path = f.Path + ext;
                if (!File.Exists(path)) continue;
                var j = JsonVectorFile.Load(path);
                json += j.Vectors.Count;
                foreach (var v in j.Vectors) Assert.True(v.ParseError is null, $"{path}:{v.Line}: {v.ParseError}");
            }
        }
        output.WriteLine($"{records} (rule, table) pairs have a payload record; {json} JSON blocks");
        Assert.True(records > 5000, $"{records} payload records found");
    }
}
