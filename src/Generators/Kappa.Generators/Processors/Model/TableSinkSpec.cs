using Kappa.Generators.Common;

namespace Kappa.Generators.Processors.Model;

/// <summary>A sink whose records are a [ServingTable] type: the generated registration adds its sink writer.</summary>
public sealed record TableSinkSpec(string Sink, TypeRef RecordType);
