using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;

namespace Kappa.Generators.Sinks.Model;

/// <summary>A nested record type written as a JSON object: one generated method per type (so recursive types work).</summary>
public sealed record JsonRecordSpec(string CsType, string MethodName, bool IsValueType, EquatableArray<AvroFieldSpec> Fields);
