using NftPS.NfTables.Model;

namespace NftPS.NfTables.Operations;

/// <summary>What an operation does (nft's command verbs).</summary>
public enum NftVerb { Add, Create, Insert, Replace, Delete, Destroy, Flush, Reset, Rename }

/// <summary>What an operation acts on.</summary>
public enum NftObjectKind { Ruleset, Table, Chain, Rule, Set, Map, Element, NamedObject, Flowtable }

/// <summary>One change of a transaction: a verb and the typed description of the object it acts on. It knows its
/// nft command text (what -WhatIf shows, every value quoted so the text re-parses to an equal operation) but no
/// bytes: <see cref="NftOperationEncoder"/> writes the netlink message at commit. Equality is structural: two
/// operations are equal when they would make the same change (display-only text such as a rule's source is left out).</summary>
internal abstract record NftOperation
{
    protected NftOperation(NftVerb verb, NftFamily family)
    {
        Verb = verb;
        Family = family;
    }

    public NftVerb Verb { get; }
    public NftFamily Family { get; }
    public abstract NftObjectKind Kind { get; }

    /// <summary>The nft command, complete (every element of an element list).</summary>
    public abstract string ToCommandText();

    /// <summary>The command for error messages: may shorten long element lists.</summary>
    public virtual string Describe() => ToCommandText();

    /// <summary>Whether <see cref="Describe"/> is the whole command (so one text serves both).</summary>
    public virtual bool DescriptionIsWhole => true;

    /// <summary>Part of another operation (the anonymous set of a rule, a chain bound to a `jump { }`): queued as its
    /// own message but not written in the transaction text, since the command that implies it is.</summary>
    public virtual bool IsImplied => false;

    public sealed override string ToString() => ToCommandText();

    protected string VerbText => Verb.ToString().ToLowerInvariant();
    protected string FamilyText => Family.ToKeyword();

    /// <summary>A name in command text: quoted when needed, escaped when nft text cannot hold it, so the text is never
    /// more commands than this one.</summary>
    protected static string N(string name) => NftIdentifier.Display(name);

    protected static string Quote(string s) => "\"" + NftIdentifier.Visible(s) + "\"";

    protected static string Body(params string?[] parts)
    {
        var present = parts.Where(p => p is not null).ToArray();
        return present.Length == 0 ? "" : " { " + string.Join(" ", present) + " }";
    }

    protected void Require(bool ok, string what)
    {
        if (!ok) throw new NftOperationException(this, what);
    }

    /// <summary>Checks the operation is complete and its names are valid; called when it is queued.</summary>
    public abstract void Validate();
}

/// <summary>An operation that cannot be queued: a required part is missing or does not fit the verb.</summary>
public sealed class NftOperationException : ArgumentException
{
    internal NftOperationException(NftOperation operation, string problem)
        : base($"{operation.Verb.ToString().ToLowerInvariant()} {operation.Kind.ToString().ToLowerInvariant()}: {problem}.")
    {
        Verb = operation.Verb;
        Kind = operation.Kind;
        Problem = problem;
    }

    public NftVerb Verb { get; }
    public NftObjectKind Kind { get; }
    public string Problem { get; }
}
