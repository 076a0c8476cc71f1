namespace Kappa.Generators.Processors.Model;

/// <summary>
/// One sink of a processor: its name as written in [Output], and how its values are encoded. When
/// <paramref name="Framed"/> (<c>ValueFormat.ConfluentAvro</c>), <paramref name="SubjectStrategy"/> is the
/// <c>Kappa.Avro.Registry.SubjectNameStrategy</c> member name its schemas are registered under.
/// </summary>
public sealed record SinkSpec(string Name, bool Framed, string SubjectStrategy);
