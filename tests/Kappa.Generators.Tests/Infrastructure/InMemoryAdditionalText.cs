using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Kappa.Generators.Tests.Infrastructure;

/// <summary>An additional file (e.g. kappa-state.lock.json) for a direct <see cref="GeneratorRunner"/> run.</summary>
public sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}
