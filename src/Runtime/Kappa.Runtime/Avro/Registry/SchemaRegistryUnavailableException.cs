namespace Kappa.Avro.Registry;

/// <summary>
/// The schema registry could not answer a lookup (unreachable, an HTTP or authentication error): not a fault of the
/// record, so a processor never dead-letters the record for it. The runner stops with the record uncommitted; a restart
/// reads it again once the registry answers.
/// </summary>
public sealed class SchemaRegistryUnavailableException : Exception
{
    public SchemaRegistryUnavailableException(int schemaId, string message, Exception innerException)
        : base(message, innerException)
    {
        SchemaId = schemaId;
    }

    /// <summary>The schema id that was being looked up.</summary>
    public int SchemaId { get; }
}
