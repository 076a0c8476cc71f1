namespace Kappa.Generators.Avro.Model;

/// <summary>A type that contains the [AvroRecord] type: its declaration keyword ("class", "record struct", ...) and name.</summary>
public sealed record ContainingTypeSpec(string Keyword, string Name);
