using NftPS.Language;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Transactions;

namespace NftPS.Cmdlets.Changes;

/// <summary>Turns the kernel's echo (handles of what a commit created) into the same objects Get-Nft* returns:
/// one read of each table involved, then each created object picked out by its handle.</summary>
internal static class PassThruResolver
{
    public static List<object> Resolve(INftBackend backend, IReadOnlyList<PassThruRequest> requests, CommitResult result,
        CancellationToken cancellation)
    {
        var output = new List<object>();
        var tables = new Dictionary<(NftFamily, string), NftRuleset>();
        foreach (var request in requests)
        {
            var echoed = result.Created.FirstOrDefault(c => ReferenceEquals(c.Operation, request.Operation))?.Object;
            if (!tables.TryGetValue((request.Family, request.Table), out var rs))
            {
                rs = backend.ReadDescribed(new RulesetQuery { Family = request.Family, Table = request.Table, IncludeElements = false }, cancellation);
                tables[(request.Family, request.Table)] = rs;
            }
            object? found = request.Kind switch
            {
                CreatedKind.Table => rs.FindTable(request.Family, request.Table),
                CreatedKind.Chain => rs.FindChain(request.Family, request.Table, request.Name),
                CreatedKind.Set => rs.FindSet(request.Family, request.Table, request.Name),
                CreatedKind.Object => rs.Objects.Find(o => o.Family == request.Family && o.Table == request.Table && o.Name == request.Name),
                CreatedKind.Rule => echoed is null ? null
                    : rs.Rules.Find(r => r.Family == request.Family && r.Table == request.Table && r.Handle == echoed.Handle),
                _ => null,
            };
            // The echo is the fallback (the object went again before the read): its set type texts come from here too.
            if (found is null && echoed is NftSet echoedSet) NftPS.Language.Printing.SetTypePrinter.Describe(echoedSet);
            if ((found ?? echoed) is { } o) output.Add(o);
        }
        return output;
    }
}
