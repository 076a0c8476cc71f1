using System;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// What KAPPA107 does with a collection behind an interface whose concrete type the analysis cannot see (a parameter typed
/// as a dictionary or set interface, a field set from outside its type, the result of an interface call), set in
/// .editorconfig with <c>kappa_determinism.unknown_collection_origin</c>. Nothing is dropped: what KAPPA107 does not
/// report goes to the KAPPA190 audit.
/// </summary>
internal enum UnknownOriginPolicy
{
    /// <summary><c>dictionaries_and_sets</c> (default): dictionary and set interfaces are reported by KAPPA107, plain sequences by KAPPA190.</summary>
    DictionariesAndSets,

    /// <summary><c>all</c>: every enumerated collection of unknown origin is reported by KAPPA107.</summary>
    All,

    /// <summary><c>audit</c>: only known hash collections are reported by KAPPA107; unknown origins go to KAPPA190.</summary>
    Audit,
}

internal static class UnknownOriginPolicyReader
{
    public const string Key = "kappa_determinism.unknown_collection_origin";

    public static UnknownOriginPolicy Read(AnalyzerConfigOptions options) =>
        !options.TryGetValue(Key, out string? value) ? UnknownOriginPolicy.DictionariesAndSets
        : value.Trim().ToLowerInvariant() switch
        {
            "dictionaries_and_sets" => UnknownOriginPolicy.DictionariesAndSets,
            "all" => UnknownOriginPolicy.All,
            "audit" => UnknownOriginPolicy.Audit,
            _ => throw new ArgumentException($"{Key} = '{value}' is not one of dictionaries_and_sets, all, audit"),
        };
}
