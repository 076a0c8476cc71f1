using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.Model;

/// <summary>
/// One record field: the C# member name (also the Avro field name), its type, and the schema-only attributes: the
/// field's <c>default</c> as normalized JSON (null when it has none), its <c>doc</c> and its <c>aliases</c>.
/// </summary>
public sealed record AvroFieldSpec(string Name, AvroTypeSpec Type, string? DefaultJson = null, string? Doc = null, EquatableArray<string> Aliases = default);
