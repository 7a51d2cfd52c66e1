using NftPS.Netlink;

namespace NftPS.NfTables.Transactions;

/// <summary>The ruleset changed between the start of the transaction and its commit; the kernel applied nothing.</summary>
public sealed class NftConflictException : Exception
{
    public NftConflictException(uint expectedGeneration, uint? currentGeneration, string? networkNamespace)
        : base(Format(expectedGeneration, currentGeneration, networkNamespace))
    {
        ExpectedGeneration = expectedGeneration;
        CurrentGeneration = currentGeneration;
    }

    public uint ExpectedGeneration { get; }
    public uint? CurrentGeneration { get; }

    private static string Format(uint expected, uint? current, string? ns)
    {
        string where = string.IsNullOrEmpty(ns) ? "" : $" in network namespace '{ns}'";
        string now = current is { } c ? $", now {c}" : "";
        return $"The ruleset{where} was changed by someone else since the transaction began (generation {expected}{now}); " +
               "nothing was applied. Run it again, or use Invoke-NftTransaction -RetryOnConflict.";
    }
}

/// <summary>One message of a batch the kernel refused, with its 1-based position and nft text.</summary>
public sealed record NftOperationFailure(int Number, int Errno, string? KernelMessage, int? Offset, BatchOperation? Operation, object? Target)
{
    public string Describe()
    {
        string where = Operation is null ? (Number <= 0 ? "the batch" : "the commit") : $"operation {Number} ({Operation.Description})";
        string text = $"{where}: {Errors.Describe(Errno)}";
        if (!string.IsNullOrEmpty(KernelMessage)) text += $" ({KernelMessage})";
        return text;
    }

    /// <summary>The rule text with a caret under the statement the kernel refused, when its extended ack said where.</summary>
    public string? Location => Operation?.Locate(Offset);

    public string DescribeWithLocation()
    {
        string text = Describe();
        return Location is { } where ? text + "\n" + where : text;
    }
}

/// <summary>The kernel refused one or more messages of the batch, so none of it was applied.</summary>
public sealed class NftTransactionException : Exception
{
    internal NftTransactionException(IReadOnlyList<NftOperationFailure> failures, int operationCount, bool checkOnly)
        : base(Format(failures, operationCount, checkOnly))
    {
        Failures = failures;
        OperationCount = operationCount;
    }

    public IReadOnlyList<NftOperationFailure> Failures { get; }
    public int OperationCount { get; }
    /// <summary>The errno of the first failure (what the error category is chosen by).</summary>
    public int Errno => Failures.Count > 0 ? Failures[0].Errno : 0;

    private static string Format(IReadOnlyList<NftOperationFailure> failures, int count, bool checkOnly)
    {
        string verdict = checkOnly ? "The kernel would refuse" : "The kernel refused";
        string applied = checkOnly ? "" : " Nothing was applied.";
        string first = failures.Count > 0 ? failures[0].Describe() : "unknown error";
        string? where = failures.Count > 0 ? failures[0].Location : null;
        string more = failures.Count > 1 ? $" ({failures.Count - 1} more: " + string.Join("; ", failures.Skip(1).Take(3).Select(f => f.Describe())) + (failures.Count > 4 ? "; …" : "") + ")" : "";
        return $"{verdict} {first} of {count}.{more}{applied}" + (where is null ? "" : "\n" + where);
    }
}
