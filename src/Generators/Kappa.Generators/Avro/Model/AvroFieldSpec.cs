namespace Kappa.Generators.Avro.Model;

/// <summary>One record field: the C# member name (also the Avro field name) and its type.</summary>
public sealed record AvroFieldSpec(string Name, AvroTypeSpec Type);
