using Kappa.Transport;

namespace Kappa.Processing;

/// <summary>
/// Generated per processor: picks the handler by topic, decodes the value, calls the handler and produces its outputs
/// (encoded into a reused buffer, keyed and timestamped like the input). One dispatcher serves one thread.
/// </summary>
public interface IProcessorDispatcher : IDisposable
{
    ProcessorDescriptor Descriptor { get; }

    /// <summary>
    /// Processes one record and returns how many outputs it produced. Throws <see cref="PoisonRecordException"/> when the
    /// record cannot be decoded (or is null where a record is expected); any other exception comes from the handler.
    /// </summary>
    int Dispatch(in ConsumedRecord record, IKappaProducer producer);

    /// <summary>
    /// Gives a stateful dispatcher the stores it reads and writes (generated stateful dispatchers implement it; the
    /// runner calls it once before the first record). Stateless dispatchers ignore it.
    /// </summary>
    void AttachState(State.StateStoreSet stores)
    {
    }

    /// <summary>
    /// Gives a dispatcher with Confluent-framed inputs or outputs (<see cref="ValueFormat.ConfluentAvro"/>) its schema
    /// registry: framed inputs get their decoders (writer schemas fetched by id, once per id), framed outputs register their
    /// schemas and keep the ids. The runner calls it once before the first record when
    /// <see cref="ProcessorDescriptor.NeedsSchemaRegistry"/>; other dispatchers ignore it.
    /// </summary>
    ValueTask AttachSchemaRegistryAsync(Avro.Registry.ISchemaRegistry registry, CancellationToken cancellationToken = default) => default;
}
