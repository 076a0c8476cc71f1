using Confluent.Kafka;

namespace Kappa.Kafka;

/// <summary>
/// The delivery reports of one librdkafka producer client: records queued and not yet reported, and the failures since
/// they were last taken (preferring a record the cluster rejected over records librdkafka purged because of it). A
/// client replaced by a new one keeps its own tracker, so its late reports never count against the new client.
/// Delivery reports arrive on Confluent's poll thread; everything here is thread-safe.
/// </summary>
internal sealed class DeliveryTracker
{
    private readonly object _gate = new();
    private long _pending;
    private string? _firstFailure;
    private int _failures;
    private int _rejected;

    public DeliveryTracker()
    {
        OnDelivery = Report;
    }

    /// <summary>The delivery handler to pass with every record produced on the client.</summary>
    public Action<DeliveryReport<byte[]?, byte[]?>> OnDelivery { get; }

    /// <summary>Records queued whose delivery report has not arrived.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>A record is about to be queued.</summary>
    public void Queued() => Interlocked.Increment(ref _pending);

    /// <summary>librdkafka refused to queue the record counted by <see cref="Queued"/>: no report will come.</summary>
    public void NotQueued() => Interlocked.Decrement(ref _pending);

    /// <summary>The first failure, how many failed and whether all of them were purged (not rejected by the cluster).</summary>
    public (string? First, int Count, bool AllPurged) Failures()
    {
        lock (_gate)
        {
            return (_firstFailure, _failures, _rejected == 0);
        }
    }

    /// <summary>Returns the first failure and the count, or null when none, and forgets them.</summary>
    public (string First, int Count)? TakeFailures()
    {
        lock (_gate)
        {
            if (_firstFailure is not { } first)
            {
                return null;
            }

            int count = _failures;
            _firstFailure = null;
            _failures = 0;
            _rejected = 0;
            return (first, count);
        }
    }

    private void Report(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.IsError)
        {
            lock (_gate)
            {
                _failures++;
                bool purged = report.Error.Code is ErrorCode.Local_PurgeQueue or ErrorCode.Local_PurgeInflight;
                if (!purged && _rejected++ == 0)
                {
                    // A record the cluster rejected explains more than records purged because of it.
                    _firstFailure = null;
                }

                _firstFailure ??= $"{report.Topic}-{report.Partition.Value}: {report.Error.Reason} ({report.Error.Code})";
            }
        }

        Interlocked.Decrement(ref _pending);
    }
}
