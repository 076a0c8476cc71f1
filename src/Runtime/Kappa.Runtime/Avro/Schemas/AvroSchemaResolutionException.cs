namespace Kappa.Avro.Schemas;

/// <summary>
/// Data written with one schema cannot be read with another: names both schemas, the field path where resolution fails and why.
/// </summary>
public sealed class AvroSchemaResolutionException : InvalidOperationException
{
    public AvroSchemaResolutionException(AvroSchema writer, AvroSchema reader, string? path, string reason)
        : base($"Cannot resolve Avro writer schema {writer.Describe()} against reader schema {reader.Describe()}{(string.IsNullOrEmpty(path) ? string.Empty : $" at field {path}")}: {reason}")
    {
        WriterSchema = writer;
        ReaderSchema = reader;
        FieldPath = path;
        Reason = reason;
    }

    public AvroSchema WriterSchema { get; }

    public AvroSchema ReaderSchema { get; }

    /// <summary>Path of the field where resolution fails (e.g. <c>Order.Lines[].Price</c>), or null at the top.</summary>
    public string? FieldPath { get; }

    public string Reason { get; }
}
