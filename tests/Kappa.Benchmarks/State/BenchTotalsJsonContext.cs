using System.Text.Json.Serialization;

namespace Kappa.Benchmarks.State;

/// <summary>System.Text.Json source-generated baseline for the same state.</summary>
[JsonSourceGenerationOptions(IncludeFields = true)]
[JsonSerializable(typeof(BenchTotals))]
internal sealed partial class BenchTotalsJsonContext : JsonSerializerContext
{
}
