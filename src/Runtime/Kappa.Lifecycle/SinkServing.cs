namespace Kappa.Lifecycle;

/// <summary>A sink and the version its serving view points at in the database (null: never switched, or no database given).</summary>
public sealed record SinkServing(string Sink, int? ServingVersion);
