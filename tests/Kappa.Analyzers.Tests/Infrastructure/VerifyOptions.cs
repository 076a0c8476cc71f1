using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>Knobs for <see cref="AnalyzerVerifier{TAnalyzer}"/>.</summary>
public sealed class VerifyOptions
{
    /// <summary>Severity overrides, the way .editorconfig's <c>dotnet_diagnostic.KAPPA190.severity</c> would set them.</summary>
    public Dictionary<string, ReportDiagnostic> Severities { get; } = new();

    public List<TestAdditionalText> AdditionalFiles { get; } = new();

    /// <summary>For the broken-code tests: the source is allowed not to compile.</summary>
    public bool AllowCompilerErrors { get; init; }

    public static VerifyOptions WithUnfollowable() => new() { Severities = { ["KAPPA190"] = ReportDiagnostic.Info } };
}
