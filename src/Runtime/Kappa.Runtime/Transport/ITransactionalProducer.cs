namespace Kappa.Transport;

/// <summary>
/// A producer whose records, together with the consumer positions they were derived from, become visible atomically:
/// either all of a transaction's records (outputs, changelog writes) and its offsets are committed, or none are.
/// Consumers with <see cref="ConsumerSettings.ReadCommitted"/> never see records of aborted or open transactions.
/// On Kafka this is Kafka transactions; on the embedded log an equivalent atomic commit.
/// Thread-affine, like every producer.
/// </summary>
public interface ITransactionalProducer : IKappaProducer
{
    /// <summary>
    /// Registers the transactional id, fencing any older producer with the same id (a zombie left by a crash or a
    /// rebalance) and aborting its unfinished transaction. Call once, before the first transaction.
    /// </summary>
    void InitTransactions(TimeSpan timeout);

    /// <summary>Starts a transaction; records produced until commit or abort belong to it.</summary>
    void BeginTransaction();

    /// <summary>
    /// Adds consumer positions (each the next offset to read) to the current transaction, committed for
    /// <paramref name="consumer"/>'s group when the transaction commits.
    /// </summary>
    void SendOffsetsToTransaction(IReadOnlyList<TopicPartitionOffset> offsets, IKappaConsumer consumer, TimeSpan timeout);

    /// <summary>Makes the transaction's records and offsets visible, atomically and durably.</summary>
    void CommitTransaction(TimeSpan timeout);

    /// <summary>Discards the transaction's records and offsets.</summary>
    void AbortTransaction(TimeSpan timeout);
}
