namespace Kappa.Testing;

/// <summary>Where a <see cref="KappaTestDriver"/> keeps its topics.</summary>
public enum TestStorage
{
    /// <summary>An <see cref="InMemoryTransport"/>: fastest; gone with the driver.</summary>
    InMemory,

    /// <summary>
    /// A temporary embedded log on disk (Kafka's storage format, its transactions and group offsets), deleted when the
    /// driver is disposed: for tests that need the durable path.
    /// </summary>
    EmbeddedLog,
}
