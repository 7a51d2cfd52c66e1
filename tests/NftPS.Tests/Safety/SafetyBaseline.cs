using System.Management.Automation;
using System.Text.RegularExpressions;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>The ruleset every hostile-input test starts from: a sentinel table that must survive, and a table with
/// one set or map of each kind the element and rule cmdlets write to. After a refused input the ruleset must be
/// exactly this; after an accepted one no table may have appeared or gone.</summary>
internal static class SafetyBaseline
{
    public const string Ruleset = """
        table ip keepme {
        	chain k {
        	}
        }
        table inet t {
        	set s {
        		type ipv4_addr
        		elements = { 9.9.9.9 }
        	}
        	set p {
        		type inet_service
        	}
        	set i {
        		type ipv4_addr
        		flags interval
        	}
        	set c {
        		type ipv4_addr . inet_service
        	}
        	set n {
        		type ifname
        	}
        	set tm {
        		type ipv4_addr
        		flags timeout
        	}
        	map m {
        		type inet_service : verdict
        	}
        	map d {
        		type ipv4_addr : ipv4_addr
        	}
        	chain c {
        		counter
        	}
        	chain other {
        	}
        }
        """;

    /// <summary>The strings every string-taking parameter is given: each closes, ends or quotes something in nft
    /// syntax, or is a command on its own, or all of that at once.</summary>
    public static readonly string[] Injections =
    {
        "}", ";", "\"", "\n", "add table ip evil", "1.1.1.1 }; add table ip evil; add element inet t s { 2.2.2.2",
    };

    /// <summary>Exception types the cmdlets must never let through: they mean an input reached code not designed for it.</summary>
    private static readonly string[] Undesigned =
    {
        "InvalidCastException", "NullReferenceException", "IndexOutOfRangeException", "ArgumentOutOfRangeException",
        "OverflowException", "InvalidOperationException", "FormatException", "KeyNotFoundException", "StackOverflowException",
    };

    public static PowerShellHost Reset(ScriptFixture fx)
    {
        var host = fx.Require();
        fx.Namespace.Flush();
        fx.Namespace.NftLoad(Ruleset).EnsureSuccess("nft -f baseline");
        return host;
    }

    public static string Tables(ScriptFixture fx) => fx.Namespace.Nft("list", "tables").EnsureSuccess("nft list tables").StdOut;

    /// <summary>The sentinel survived and no table appeared or went.</summary>
    public static void AssertTablesIntact(ScriptFixture fx, string context)
    {
        string tables = Tables(fx);
        Assert.True(tables.Contains("table ip keepme") && tables.Contains("table inet t"), $"{context}: a table went missing:\n{tables}");
        Assert.True(Regex.Matches(tables, "^table ", RegexOptions.Multiline).Count == 2, $"{context}: another table appeared:\n{tables}");
    }

    /// <summary>Every error is designed: the expected categories, no runtime exception type, nothing terminating the runspace.</summary>
    public static void AssertDesignedErrors(PowerShellResult r, string context, params ErrorCategory[] allowed)
    {
        var records = r.Errors.Concat(r.Terminating is null ? Array.Empty<ErrorRecord>() : new[] { r.Terminating }).ToList();
        foreach (var e in records)
        {
            string type = e.Exception.GetType().Name;
            Assert.False(Undesigned.Contains(type), $"{context}: undesigned {type}: {e.Exception}");
            Assert.True(allowed.Contains(e.CategoryInfo.Category), $"{context}: category {e.CategoryInfo.Category} ({e.FullyQualifiedErrorId}): {e.Exception.Message}");
        }
    }

    public static string Visible(string s) => s.Replace("\n", "\\n").Replace("\r", "\\r");
}
