namespace NftPS.Tests.Conformance;

/// <summary>The replay of the whole `.t` corpus, done once per test run and shared by the tests that judge it
/// (the readers must read while the rules are loaded, so they run inside the replay).</summary>
public static class ConformanceReplay
{
    /// <summary>Control reader: nft itself through the reader interface; must agree 100% with the recorded listing.</summary>
    public static readonly IRuleTextReader Oracle = new NftOracleReader(ListingStyle.Plain);

    /// <summary>NftPS's reader (or its "not available" stand-in).</summary>
    public static readonly IRuleTextReader NftPs = NftPsReaders.RuleTexts();

    private static readonly Lazy<ReplayRun> Shared = new(() =>
    {
        var options = new ReplayOptions();
        options.Readers.Add(Oracle);
        options.Readers.Add(NftPs);
        options.JsonReader = new NftPsRuleJsonReader();
        return new VectorReplayer(options).ReplayAll(ConformanceCorpus.LoadVectorFiles());
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static ReplayRun Run => Shared.Value;
}
