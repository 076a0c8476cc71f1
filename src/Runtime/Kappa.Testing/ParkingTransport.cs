using Kappa.Transport;

namespace Kappa.Testing;

/// <summary>
/// Wraps the driver's transport for the runner: its group consumer parks on the <see cref="RunnerGate"/> once it has
/// read every input record and the batch after the last one was committed (an empty poll ends a batch, the runner
/// commits, and the next poll finds nothing either). Everything else goes straight to the wrapped transport.
/// </summary>
internal sealed class ParkingTransport(IKappaTransport inner, RunnerGate gate) : IKappaTransport
{
    public string Description => inner.Description;

    public void EnsureTopics(IReadOnlyCollection<TopicSpec> topics) => inner.EnsureTopics(topics);

    public int? GetPartitionCount(string topic) => inner.GetPartitionCount(topic);

    public WatermarkOffsets GetWatermarks(TopicPartition partition) => inner.GetWatermarks(partition);

    public IKappaConsumer CreateConsumer(ConsumerSettings settings) => new ParkingConsumer(inner, inner.CreateConsumer(settings), gate);

    public IKappaProducer CreateProducer(ProducerSettings settings) => inner.CreateProducer(settings);

    public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId) =>
        new UnwrappingProducer(inner.CreateTransactionalProducer(settings, transactionalId));

    public void Dispose()
    {
        // The driver owns the wrapped transport.
    }

    /// <summary>Hands the wrapped transport its own consumer when offsets join a transaction.</summary>
    private sealed class UnwrappingProducer(ITransactionalProducer inner) : ITransactionalProducer
    {
        public void Produce(in OutgoingRecord record) => inner.Produce(in record);

        public void Flush(CancellationToken cancellationToken = default) => inner.Flush(cancellationToken);

        public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);

        public void BeginTransaction() => inner.BeginTransaction();

        public void SendOffsetsToTransaction(IReadOnlyList<TopicPartitionOffset> offsets, IKappaConsumer consumer, TimeSpan timeout) =>
            inner.SendOffsetsToTransaction(offsets, consumer is ParkingConsumer parking ? parking.Inner : consumer, timeout);

        public void CommitTransaction(TimeSpan timeout) => inner.CommitTransaction(timeout);

        public void AbortTransaction(TimeSpan timeout) => inner.AbortTransaction(timeout);

        public void Dispose() => inner.Dispose();
    }

    private sealed class ParkingConsumer(IKappaTransport transport, IKappaConsumer inner, RunnerGate gate) : IKappaConsumer
    {
        private readonly HashSet<TopicPartition> _paused = new();
        private IReadOnlyCollection<string>? _topics;
        private bool _lastPollEmpty;

        public IKappaConsumer Inner => inner;

        public IReadOnlyList<TopicPartition> Assignment => inner.Assignment;

        public void Subscribe(IReadOnlyCollection<string> topics)
        {
            _topics = topics.ToArray();
            inner.Subscribe(topics);
        }

        public void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions) => inner.Assign(partitions);

        public void Pause(IReadOnlyCollection<TopicPartition> partitions)
        {
            _paused.UnionWith(partitions);
            inner.Pause(partitions);
        }

        public void Resume(IReadOnlyCollection<TopicPartition> partitions)
        {
            _paused.ExceptWith(partitions);
            inner.Resume(partitions);
        }

        public long Position(TopicPartition partition) => inner.Position(partition);

        public bool TryConsume(TimeSpan timeout, out ConsumedRecord record)
        {
            if (_topics is null)
            {
                // Restore and verification consumers read on their own.
                return inner.TryConsume(timeout, out record);
            }

            while (true)
            {
                if (gate.Stopping)
                {
                    record = default;
                    return false;
                }

                if (_paused.Count == 0 && CaughtUp(out long inputEnd))
                {
                    if (!_lastPollEmpty)
                    {
                        // End the batch: the runner commits it before polling again.
                        _lastPollEmpty = true;
                        record = default;
                        return false;
                    }

                    if (!gate.Park(inputEnd))
                    {
                        record = default;
                        return false;
                    }

                    continue;
                }

                bool found = inner.TryConsume(_paused.Count > 0 ? TimeSpan.Zero : timeout, out record);
                _lastPollEmpty = !found;
                return found;
            }
        }

        public void Commit(IReadOnlyList<TopicPartitionOffset> offsets) => inner.Commit(offsets);

        public long? Committed(TopicPartition partition) => inner.Committed(partition);

        public void Close() => inner.Close();

        public void Dispose() => inner.Dispose();

        /// <summary>True when this consumer owns every input partition and stands at the end of each; <paramref name="inputEnd"/> sums the ends.</summary>
        private bool CaughtUp(out long inputEnd)
        {
            inputEnd = 0;
            IReadOnlyList<TopicPartition> assignment = inner.Assignment;
            int expected = 0;
            foreach (string topic in _topics!)
            {
                expected += transport.GetPartitionCount(topic) ?? 0;
            }

            if (assignment.Count != expected)
            {
                return false;
            }

            foreach (TopicPartition partition in assignment)
            {
                long end = transport.GetWatermarks(partition).High;
                if (inner.Position(partition) < end)
                {
                    return false;
                }

                inputEnd += end;
            }

            return true;
        }
    }
}
