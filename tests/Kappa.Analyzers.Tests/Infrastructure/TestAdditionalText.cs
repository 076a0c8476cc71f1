using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>An in-memory additional file (e.g. KappaBannedMembers.txt).</summary>
public sealed class TestAdditionalText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}
