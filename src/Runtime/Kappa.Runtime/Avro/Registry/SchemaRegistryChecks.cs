using Kappa.Avro.Schemas;

namespace Kappa.Avro.Registry;

/// <summary>Deploy-time checks against what a registry holds.</summary>
public static class SchemaRegistryChecks
{
    /// <summary>
    /// Checks <paramref name="schema"/> against every registered version of <paramref name="subject"/> under
    /// <paramref name="mode"/> (Kappa's inputs: <see cref="AvroCompatibilityMode.BackwardTransitive"/>). Empty: safe to deploy.
    /// </summary>
    public static async ValueTask<IReadOnlyList<AvroCompatibilityViolation>> CheckAsync(
        ISchemaRegistry registry,
        string subject,
        string schema,
        AvroCompatibilityMode mode = AvroCompatibilityMode.BackwardTransitive,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        IReadOnlyList<RegisteredSchema> versions = await registry.GetVersionsAsync(subject, cancellationToken).ConfigureAwait(false);
        return AvroCompatibility.Check(AvroSchemaParser.Parse(schema), versions.Select(v => AvroSchemaParser.Parse(v.Schema)).ToArray(), mode);
    }
}
