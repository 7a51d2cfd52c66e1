using System.Management.Automation;
using NftPS.Cmdlets.Changes;
using NftPS.Netlink;

namespace NftPS.Cmdlets;

/// <summary>Which network namespace a cmdlet acts on, per input object. The rule, strongest first:
/// 1. an object from the pipeline acts where it was read (its own NetworkNamespace); a -NetworkNamespace typed on the
///    command line that names another namespace is an error, never silently the winner;
/// 2. a -NetworkNamespace typed on the command line;
/// 3. inside Invoke-NftTransaction, the transaction's namespace (it wins over $PSDefaultParameterValues);
/// 4. a default from $PSDefaultParameterValues;
/// 5. the caller's own namespace.
/// New-* cmdlets take NftPS objects from the pipeline as templates, not targets (<see cref="InputIsTemplate"/>): nothing
/// changes where a template was read, so rule 1 does not apply to them and the target is picked by rules 2 to 5.
/// An empty value is refused: only omitting the parameter means the caller's own namespace.</summary>
public abstract partial class NftCmdletBase
{
    private enum NamespaceSource { Omitted, Typed, Default }

    private NamespaceSource _namespaceSource;
    private string? _namespaceGiven;
    private bool _namespaceCaptured;

    protected override void BeginProcessing() => CaptureNamespace();

    /// <summary>Where the command-line value of -NetworkNamespace came from, before pipeline input binds anything.</summary>
    private void CaptureNamespace()
    {
        if (_namespaceCaptured) return;
        _namespaceCaptured = true;
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(NetworkNamespace))) return;
        _namespaceGiven = NetworkNamespace;
        // When PowerShell does not tell, a default counts as typed: the stricter reading.
        _namespaceSource = InvocationIntrospection.IsBoundFromDefaults(this, nameof(NetworkNamespace)) == true
            ? NamespaceSource.Default : NamespaceSource.Typed;
        string from = _namespaceSource == NamespaceSource.Default ? " (from $PSDefaultParameterValues)" : "";
        if (string.IsNullOrEmpty(_namespaceGiven))
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                    $"-NetworkNamespace{from} is empty. An empty name is not the caller's own namespace: omit -NetworkNamespace to work there."),
                "NftNetworkNamespaceEmpty", ErrorCategory.InvalidArgument, _namespaceGiven));
        try
        {
            Netlink.NetworkNamespace.PathOf(_namespaceGiven);
        }
        catch (InvalidNetworkNamespaceException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "NftNetworkNamespaceInvalid", ErrorCategory.InvalidArgument, _namespaceGiven));
        }
    }

    /// <summary>True when -NetworkNamespace was typed on the command line (not a default, not pipeline input).</summary>
    private protected bool NamespaceTyped => _namespaceSource == NamespaceSource.Typed;

    /// <summary>Sets <see cref="NetworkNamespace"/> for the current input by the rule above. False when the input is
    /// refused (its origin contradicts a typed -NetworkNamespace); the error is written.</summary>
    private protected bool ResolveNamespace()
    {
        CaptureNamespace();
        var origin = InputOrigin.Of(InvocationIntrospection.CurrentPipelineObject(this));
        if (InputIsTemplate && origin is { IsNftObject: true } template)
        {
            // A copy read in another namespace goes only where the user names: with no -NetworkNamespace, default or
            // transaction it would land in the caller's own namespace, which nobody asked for.
            if (_namespaceSource == NamespaceSource.Omitted && AmbientTransactions.Innermost is null &&
                !string.IsNullOrEmpty(template.NetworkNamespace))
            {
                RefuseInput(new ErrorRecord(new ArgumentException(
                        $"The input is a copy of an object read in {InputOrigin.Describe(template.NetworkNamespace)}, and no target was named: " +
                        "give -NetworkNamespace (or run inside Invoke-NftTransaction -NetworkNamespace) to say where to create it. Nothing was changed."),
                    "NftTemplateTargetUnnamed", ErrorCategory.InvalidArgument, InvocationIntrospection.CurrentPipelineObject(this)));
                return false;
            }
            // A template's own NetworkNamespace (bound by property name) says where it was read, not where to create.
            NetworkNamespace = _namespaceSource == NamespaceSource.Omitted ? AmbientTransactions.Innermost?.NetworkNamespace
                : _namespaceSource == NamespaceSource.Default && AmbientTransactions.Innermost is { } tx ? tx.NetworkNamespace
                : _namespaceGiven;
            return true;
        }
        bool fromObject = origin is { HasNamespace: true };
        string? objectNamespace = origin?.NetworkNamespace;
        var open = AmbientTransactions.Innermost;
        switch (_namespaceSource)
        {
            case NamespaceSource.Typed:
                if (fromObject && !NamespaceKey.Same(objectNamespace, _namespaceGiven))
                {
                    RefuseInput(NftErrors.ForeignObject(InvocationIntrospection.CurrentPipelineObject(this)!,
                        $"The input came from {InputOrigin.Describe(objectNamespace)} but -NetworkNamespace names {InputOrigin.Describe(_namespaceGiven)}; it was refused. Drop -NetworkNamespace to act where the object came from.",
                        otherHost: false));
                    return false;
                }
                NetworkNamespace = _namespaceGiven;
                break;
            case NamespaceSource.Default:
                NetworkNamespace = fromObject ? objectNamespace : open is not null ? open.NetworkNamespace : _namespaceGiven;
                break;
            default:
                // Without a command-line value, a value bound from the input (whatever its type) stays.
                NetworkNamespace = fromObject ? objectNamespace
                    : MyInvocation.BoundParameters.ContainsKey(nameof(NetworkNamespace)) ? NetworkNamespace : open?.NetworkNamespace;
                break;
        }
        return true;
    }

    /// <summary>False (with the error written) when the pipeline object is an NftPS object, live or deserialized,
    /// that was read on another machine: NftPS changes only the local kernel's rulesets.</summary>
    private protected bool InputFromThisHost()
    {
        var input = InvocationIntrospection.CurrentPipelineObject(this);
        if (InputIsTemplate) return true; // a template read elsewhere is copied here, nothing changes where it was read
        if (InputOrigin.Of(input) is not { IsLocalHost: false } origin) return true;
        string what = origin.Host is null ? "does not say which host it was read on" : $"was read on host '{origin.Host}'";
        RefuseInput(NftErrors.ForeignObject(input!,
            $"{Describe(input!)} {what}, not on this one ('{NfTables.Model.NftObjectBase.LocalHostName}'); NftPS changes only the local kernel's rulesets, so it was refused. Nothing was changed.",
            otherHost: true));
        return false;
    }

    // "The copied rule inet t c handle 3": what the object is, from the properties every NftPS object has.
    private static string Describe(PSObject input)
    {
        if (input.BaseObject is NfTables.Model.NftObjectBase live) return live.ToString()!;
        string? P(string name) => input.Properties[name]?.Value?.ToString();
        string kind = input.TypeNames.FirstOrDefault(t => t.Contains("NftPS.NfTables.Model.", StringComparison.Ordinal)) is { } t
            ? t[(t.LastIndexOf('.') + 1)..].Replace("Nft", "").ToLowerInvariant() : "object";
        var parts = new[] { P("Family")?.ToLowerInvariant(), P("Table"), P("Chain"), P("SetName") ?? P("Set"), P("Name") }.Where(x => !string.IsNullOrEmpty(x));
        string handle = P("Handle") is { Length: > 0 } h && h != "0" ? $" handle {h}" : "";
        return $"The copied {kind} {string.Join(' ', parts)}{handle}".TrimEnd();
    }

    /// <summary>True for cmdlets that create objects (New-*) when the NftPS object piped in is of the kind they create: a template whose properties
    /// bind to the parameters, so its origin (host, namespace) is not a target to guard.</summary>
    private protected bool InputIsTemplate => TemplateKind is { } kind &&
        InvocationIntrospection.CurrentPipelineObject(this) is { } input && InputOrigin.IsModelObject(input, kind);

    /// <summary>The model type (e.g. "NftTable") whose piped objects this cmdlet copies; null when it copies none.
    /// Only that kind is a template: a table piped to New-NftChain is still the place to create the chain in.</summary>
    private protected virtual string? TemplateKind => null;

    /// <summary>How a refused input is reported (change cmdlets also stop an open transaction from committing).</summary>
    private protected virtual void RefuseInput(ErrorRecord record) => WriteError(record);

    /// <summary>Inside Invoke-NftTransaction, a change must go to the transaction's namespace: anything else would be
    /// applied at once, outside the transaction and its -WhatIf/-Confirm. Refused with a terminating error, so the
    /// block stops and nothing of the transaction is applied.</summary>
    private protected void RefuseOtherNamespaceInTransaction()
    {
        if (AmbientTransactions.Innermost is not { } open || NamespaceKey.Same(open.NetworkNamespace, NetworkNamespace)) return;
        string message = $"{MyInvocation.MyCommand?.Name ?? "This command"} would change {InputOrigin.Describe(NetworkNamespace)} inside " +
                         $"Invoke-NftTransaction for {InputOrigin.Describe(open.NetworkNamespace)}; a transaction changes one namespace only, so it was refused and nothing was applied.";
        open.Doomed ??= message;
        ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), "NftTransactionNamespaceMismatch",
            ErrorCategory.InvalidOperation, NetworkNamespace));
    }
}
