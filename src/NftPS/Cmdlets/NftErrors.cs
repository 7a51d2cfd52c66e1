using System.Management.Automation;
using NftPS.Netlink;

namespace NftPS.Cmdlets;

/// <summary>Turns what the core throws into PowerShell errors with stable ids and the right category,
/// so scripts can test `$_.CategoryInfo.Category` and `$_.FullyQualifiedErrorId` and users never see a stack trace.</summary>
internal static class NftErrors
{
    public const string PermissionHint =
        "Run PowerShell as root (sudo pwsh) or give it CAP_NET_ADMIN in the network namespace's user namespace.";
    public const string NamespaceHint =
        "Entering another network namespace needs root (CAP_SYS_ADMIN); list the available ones with `ip netns list`.";

    public static ErrorRecord FromException(Exception ex, object? target) => ex switch
    {
        NetworkNamespaceNotFoundException nf => Record(nf, "NetworkNamespaceNotFound", ErrorCategory.ObjectNotFound, nf.NamespaceName,
            "List the available namespaces with `ip netns list`, or pass a path such as /proc/PID/ns/net."),
        NftPS.NfTables.Log.NftLogGroupBusyException lb => Record(lb, "NftLogGroupBusy", ErrorCategory.ResourceBusy, target, null),
        NetlinkException ne => FromNetlink(ne, target),
        NftPS.NfTables.Transactions.NftConflictException ce => Record(ce, "NftTransactionConflict", ErrorCategory.ResourceBusy, target,
            "Run the change again, or wrap it in Invoke-NftTransaction -RetryOnConflict."),
        NftPS.NfTables.Transactions.NftTransactionException te => ByErrno(te, te.Errno, target),
        NftPS.Language.Json.NftJsonException je => Record(je, je.IsSchemaError ? "NftJsonSyntaxError" : "NftJsonInvalidValue",
            je.IsSchemaError ? ErrorCategory.ParserError : ErrorCategory.InvalidData, target, null),
        NftPS.Language.Syntax.NftLanguageException le => Record(le, le is NftPS.Language.Syntax.NftSyntaxException ? "NftSyntaxError" : "NftInvalidRule",
            ErrorCategory.InvalidArgument, target, null),
        NftPS.NfTables.Operations.NftOperationException oe => Record(oe, "NftInvalidOperation", ErrorCategory.InvalidArgument, target, null),
        NftPS.NfTables.Model.NftInvalidValueException iv => Record(iv, "NftInvalidValue", ErrorCategory.InvalidArgument, target, null),
        NftPS.NfTables.Model.NftUnprintableException up => Record(up, "NftUnprintableValue", ErrorCategory.InvalidData, target,
            "Rename or remove the object with another tool, or use Export-NftRuleset -AsJson."),
        NotSupportedException ns => Record(ns, "NftNotSupported", ErrorCategory.NotImplemented, target, null),
        TimeoutException te => Record(te, "NftKernelTimeout", ErrorCategory.OperationTimeout, target, null),
        NftPS.Language.Script.NftInputFileException fe => FromInputFile(fe),
        NftPS.Netlink.NetlinkSizeException se => Record(se, "NftMessageTooLarge", ErrorCategory.LimitsExceeded, target, null),
        IOException io => Record(io, "NftIOError", ErrorCategory.WriteError, target, null),
        UnauthorizedAccessException ua => Record(ua, "NftAccessDenied", ErrorCategory.PermissionDenied, target, null),
        InvalidDataException id => Record(id, "NftMalformedReply", ErrorCategory.InvalidData, target, null),
        _ => Record(ex, "NftOperationFailed", ErrorCategory.NotSpecified, target, null),
    };

    /// <summary>A refused batch operation: the id and category follow the kernel's errno, the message names the operation.</summary>
    public static ErrorRecord ByErrno(Exception ex, int errno, object? target) => errno switch
    {
        Errors.EPERM or Errors.EACCES => Record(ex, "NftPermissionDenied", ErrorCategory.PermissionDenied, target, PermissionHint),
        Errors.ENOENT => Record(ex, "NftObjectNotFound", ErrorCategory.ObjectNotFound, target, null),
        Errors.EEXIST => Record(ex, "NftObjectExists", ErrorCategory.ResourceExists, target, null),
        Errors.EINVAL or Errors.ERANGE => Record(ex, "NftInvalidArgument", ErrorCategory.InvalidArgument, target, null),
        Errors.EBUSY => Record(ex, "NftResourceBusy", ErrorCategory.ResourceBusy, target, null),
        Errors.EOPNOTSUPP or Errors.EAFNOSUPPORT or Errors.EPROTONOSUPPORT =>
            Record(ex, "NftNotSupportedByKernel", ErrorCategory.NotImplemented, target, null),
        _ => Record(ex, "NftKernelError", ErrorCategory.InvalidOperation, target, null),
    };

    /// <summary>An object read on another machine or from another namespace than the one the cmdlet would change.</summary>
    public static ErrorRecord ForeignObject(object target, string what, bool otherHost) => new(
        new InvalidOperationException(what), otherHost ? "NftObjectFromOtherHost" : "NftObjectFromOtherNamespace",
        otherHost ? ErrorCategory.SecurityError : ErrorCategory.InvalidArgument, target);

    /// <summary>A ruleset file that cannot be read: the file is the target, the category says why.</summary>
    private static ErrorRecord FromInputFile(NftPS.Language.Script.NftInputFileException ex) => ex.Problem switch
    {
        NftPS.Language.Script.NftInputFileProblem.NotFound => Record(ex, "NftFileNotFound", ErrorCategory.ObjectNotFound, ex.Path, null),
        NftPS.Language.Script.NftInputFileProblem.IsDirectory => Record(ex, "NftFileIsDirectory", ErrorCategory.InvalidArgument, ex.Path, null),
        NftPS.Language.Script.NftInputFileProblem.TooLarge => Record(ex, "NftFileTooLarge", ErrorCategory.LimitsExceeded, ex.Path, null),
        NftPS.Language.Script.NftInputFileProblem.AccessDenied => Record(ex, "NftFileAccessDenied", ErrorCategory.PermissionDenied, ex.Path, null),
        _ => Record(ex, "NftFileUnreadable", ErrorCategory.ReadError, ex.Path, null),
    };

    private static ErrorRecord FromNetlink(NetlinkException ex, object? target)
    {
        bool enteringNamespace = ex.Operation.StartsWith("setns", StringComparison.Ordinal) ||
                                 ex.Operation.StartsWith("open /", StringComparison.Ordinal);
        return ex.Errno switch
        {
            Errors.EPERM or Errors.EACCES => Record(ex, "NftPermissionDenied", ErrorCategory.PermissionDenied, target,
                enteringNamespace ? NamespaceHint : PermissionHint, enteringNamespace ? ex.Message.Split(" (you must")[0] : null),
            Errors.ENOENT => Record(ex, "NftObjectNotFound", ErrorCategory.ObjectNotFound, target, null),
            Errors.EEXIST => Record(ex, "NftObjectExists", ErrorCategory.ResourceExists, target, null),
            Errors.EINVAL => Record(ex, "NftInvalidArgument", ErrorCategory.InvalidArgument, target, null),
            Errors.EBUSY => Record(ex, "NftResourceBusy", ErrorCategory.ResourceBusy, target, null),
            Errors.EOPNOTSUPP or Errors.EAFNOSUPPORT or Errors.EPROTONOSUPPORT =>
                Record(ex, "NftNotSupportedByKernel", ErrorCategory.NotImplemented, target, null),
            _ => Record(ex, "NftKernelError", ErrorCategory.InvalidOperation, target, null),
        };
    }

    /// <summary>A table, chain, set or other object asked for by its exact name that is not there.</summary>
    public static ErrorRecord NotFound(string kind, string name, string? where, string? networkNamespace)
    {
        string scope = string.IsNullOrEmpty(networkNamespace) ? "" : $" in network namespace '{networkNamespace}'";
        string message = where is null
            ? $"{Capitalise(kind)} '{name}' was not found{scope}."
            : $"{Capitalise(kind)} '{name}' was not found in {where}{scope}.";
        var id = "Nft" + Capitalise(kind).Replace(" ", "") + "NotFound";
        return new ErrorRecord(new ItemNotFoundException(message), id, ErrorCategory.ObjectNotFound, name);
    }

    private static ErrorRecord Record(Exception ex, string id, ErrorCategory category, object? target, string? action, string? message = null)
    {
        var record = new ErrorRecord(ex, id, category, target);
        if (message is not null || action is not null)
            record.ErrorDetails = new ErrorDetails(message ?? ex.Message) { RecommendedAction = action };
        return record;
    }

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
