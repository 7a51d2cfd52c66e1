namespace NftPS.Tests.Architecture
{
    /// <summary>The layer rules are only as good as what the engine sees. These probes hide a use of a "higher"
    /// namespace where back-edges in NftPS.dll actually live — inside a lambda, an iterator and a method body, never
    /// in a signature — and the check must name the type that does it, while a probe with no such use passes.</summary>
    public sealed class LayerRuleSelfCheckTests
    {
        private const string Low = "NftPS.Tests.Architecture.Probe.Low";
        private const string High = "NftPS.Tests.Architecture.Probe.High";
        private const string Clean = "NftPS.Tests.Architecture.Probe.Clean";

        [Fact]
        public void AUseInsideMethodBodiesIsReportedWithTheTypeThatMakesIt()
        {
            var offenders = LayerTests.Offenders(typeof(LayerRuleSelfCheckTests).Assembly, Low, High);
            Assert.Contains($"{Low}.UsesHigherInLambda", offenders);
            Assert.Contains($"{Low}.UsesHigherInIterator", offenders);
            Assert.Contains($"{Low}.UsesHigherInBody", offenders);
        }

        [Fact]
        public void ANamespaceWithoutTheUsePasses() =>
            Assert.Empty(LayerTests.Offenders(typeof(LayerRuleSelfCheckTests).Assembly, Clean, High));
    }
}

namespace NftPS.Tests.Architecture.Probe.High
{
    internal static class Printer
    {
        public static string Print(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

namespace NftPS.Tests.Architecture.Probe.Low
{
    internal static class UsesHigherInLambda
    {
        public static Func<int, string> Make() => v => High.Printer.Print(v);
    }

    internal static class UsesHigherInIterator
    {
        public static IEnumerable<string> All(int n)
        {
            for (int i = 0; i < n; i++) yield return High.Printer.Print(i);
        }
    }

    internal static class UsesHigherInBody
    {
        public static int Length(int v) => High.Printer.Print(v).Length;
    }
}

namespace NftPS.Tests.Architecture.Probe.Clean
{
    internal static class Plain
    {
        public static Func<int, string> Make() => v => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
