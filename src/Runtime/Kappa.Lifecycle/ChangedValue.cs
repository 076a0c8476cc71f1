namespace Kappa.Lifecycle;

/// <summary>A key whose latest value differs between two versions, with both values as text (canonical JSON of the decoded Avro value).</summary>
public sealed record ChangedValue(string Key, string Old, string New);
