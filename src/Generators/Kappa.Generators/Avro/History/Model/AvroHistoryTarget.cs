using Kappa.Avro.Schemas;
using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.History.Model;

/// <summary>
/// What the history check needs of an [AvroRecord] declaration besides its codec model: the history key (full C# name
/// without <c>global::</c>), the compatibility mode from <c>[AvroRecord(Compatibility = ...)]</c> and where to report.
/// </summary>
public sealed record AvroHistoryTarget(string Type, AvroCompatibilityMode Mode, LocationInfo? Location);
