namespace Kappa.Avro.Registry;

/// <summary>One registered version of a subject.</summary>
public sealed record RegisteredSchema(string Subject, int Version, int Id, string Schema);

/// <summary>
/// The Schema Registry operations Kappa needs (Kappa's own small seam; implementations: <see cref="InMemorySchemaRegistry"/>,
/// and adapters over a real registry client). Implementations may be called from several threads.
/// </summary>
public interface ISchemaRegistry
{
    /// <summary>The schema JSON registered under <paramref name="id"/>, or null when the id is unknown.</summary>
    ValueTask<string?> GetSchemaAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers <paramref name="schema"/> under <paramref name="subject"/> (idempotent: an equal schema returns its
    /// existing id). Throws <see cref="SchemaIncompatibleException"/> when the subject's compatibility mode rejects it.
    /// </summary>
    ValueTask<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default);

    /// <summary>Every version of <paramref name="subject"/>, oldest first (empty for an unknown subject).</summary>
    ValueTask<IReadOnlyList<RegisteredSchema>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default);
}

/// <summary>A schema the subject's compatibility mode rejects; the message names the subject, the mode and the violations.</summary>
public sealed class SchemaIncompatibleException : InvalidOperationException
{
    public SchemaIncompatibleException(string subject, string message)
        : base(message)
    {
        Subject = subject;
    }

    public string Subject { get; }
}
