using System.Management.Automation;
using NftPS.NfTables.Model;

namespace NftPS.Cmdlets;

/// <summary>Where a pipeline object says it was read: the machine and the network namespace. A live NftPS object
/// and its copies (PSSerializer, remoting, Import-Clixml, Select-Object) answer alike, so a copy cannot slip past the
/// checks by binding to parameters by property name instead of as an object.</summary>
internal readonly record struct InputOrigin(bool IsNftObject, string? Host, bool HasNamespace, string? NetworkNamespace)
{
    // "Deserialized.NftPS.NfTables.Model.NftRule", "Selected.NftPS.NfTables.Model.NftRule" (Select-Object copies)...
    private const string ModelNamespace = "NftPS.NfTables.Model.";

    /// <summary>Null for no input or an input that names no origin (a piped string, a hashtable).</summary>
    public static InputOrigin? Of(PSObject? input)
    {
        switch (input?.BaseObject)
        {
            case null: return null;
            case NftObjectBase o: return new InputOrigin(true, o.Host, true, o.NetworkNamespace);
            case NftRuleset r: return new InputOrigin(true, r.Host, true, r.NetworkNamespace);
        }
        bool nft = input.TypeNames.Any(t => t.Contains(ModelNamespace, StringComparison.Ordinal));
        var ns = input.Properties["NetworkNamespace"];
        if (!nft && ns is null) return null;
        // A copy with its Host stripped cannot prove it is from here: an empty host fails the check below.
        string? host = nft ? Text(input.Properties["Host"]?.Value) : null;
        return new InputOrigin(nft, host, ns is not null, Text(ns?.Value));
    }

    /// <summary>True when the input is a model object of that type ("NftTable"), live or a copy of one.</summary>
    public static bool IsModelObject(PSObject input, string typeName)
    {
        string full = ModelNamespace + typeName;
        return input.TypeNames.Any(t => t == full || t.EndsWith("." + full, StringComparison.Ordinal));
    }

    /// <summary>Read on this machine (only NftPS objects say where they were read).</summary>
    public bool IsLocalHost => !IsNftObject || string.Equals(Host, NftObjectBase.LocalHostName, StringComparison.OrdinalIgnoreCase);

    private static string? Text(object? value) => value is PSObject p ? p.BaseObject?.ToString() : value?.ToString();

    public static string Describe(string? networkNamespace) =>
        string.IsNullOrEmpty(networkNamespace) ? "the caller's own network namespace" : $"network namespace '{networkNamespace}'";
}
