using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.Model;

/// <summary>Everything the emitter needs for one [AvroRecord] type; equatable and symbol-free so the pipeline caches it.</summary>
public sealed record AvroRecordSpec(
    string? Namespace,
    string TypeName,
    string Keyword,
    string FullyQualifiedName,
    string HintName,
    bool IsValueType,
    bool UsePrimaryConstructor,
    bool HidesInheritedCodec,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    EquatableArray<AvroFieldSpec> Fields,
    string SchemaJson,
    string CanonicalForm,
    long Fingerprint);
