using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Common;

/// <summary>
/// Every diagnostic the generators report. One class per assembly, split by area into partial files
/// (DiagnosticDescriptors.Avro.cs: KAPPA001-019, DiagnosticDescriptors.Processors.cs: KAPPA020-039,
/// DiagnosticDescriptors.State.cs: KAPPA040-059, DiagnosticDescriptors.Sinks.cs: KAPPA060-079). Each ID has a page docs/diagnostics/KAPPAxxx.md.
/// </summary>
internal static partial class DiagnosticDescriptors
{
    public const string UsageCategory = "Kappa.Usage";

    /// <summary>The help link of a diagnostic ID: its page under docs/diagnostics.</summary>
    public static string HelpLink(string id) => $"https://github.com/kappa-dotnet/kappa/blob/main/docs/diagnostics/{id}.md";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, UsageCategory, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, UsageCategory, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
