using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Kappa.Kafka;

/// <summary>
/// The transport's Confluent admin client, with what it learned about the brokers' APIs (<see cref="KafkaApiSupport"/>)
/// so that an admin operation a broker lacks is refused with a clear error before anything is sent, and with the
/// workaround for librdkafka 2.16's crash after a refused coordinator request (see <see cref="Refused"/>).
/// </summary>
internal sealed class KafkaAdmin : IDisposable
{
    /// <summary>
    /// Admin clients librdkafka refused a coordinator request on as unsupported. Destroying one aborts the process
    /// (librdkafka 2.16 releases the reply queue twice on that path: <c>rd_kafka_DeleteGroupsRequest</c> destroys the
    /// queue reference it was handed and <c>rd_kafka_coord_req_fsm</c> destroys the same reference again, so
    /// <c>rd_kafka_destroy</c> later fails <c>rkq_refcnt &gt; 0</c> in <c>rd_kafka_q_destroy0</c>). They are kept
    /// here, never disposed and never finalized, until the process exits. At most one per transport and API: after
    /// the first refusal the API is known to be missing and no request is sent again.
    /// </summary>
    private static readonly ConcurrentBag<IAdminClient> Retained = [];

    private readonly KafkaTransportOptions _options;
    private readonly string _description;
    private readonly KafkaApiSupport _support = new();
    private readonly HashSet<KafkaApi> _refused = [];
    private readonly object _gate = new();
    private IAdminClient? _client;
    private volatile bool _disposed;

    public KafkaAdmin(KafkaTransportOptions options, string description)
    {
        _options = options;
        _description = description;
    }

    /// <summary>Number of admin clients this process keeps open because destroying them would crash it.</summary>
    internal static int RetainedCount => Retained.Count;

    public IAdminClient Client
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _client ??= Build();
            }
        }
    }

    /// <summary>
    /// Throws <see cref="KafkaUnsupportedApiException"/> when a broker is known to lack <paramref name="api"/> (learned
    /// from its ApiVersions response, or from an earlier refusal). Reads the cluster metadata first when no broker's
    /// APIs are known yet, so that at least one connection told them.
    /// </summary>
    public void Require(KafkaApi api, string operation)
    {
        if (_support.KnownBrokers.Count == 0)
        {
            try
            {
                Client.GetMetadata(_options.OperationTimeout);
            }
            catch (KafkaException ex)
            {
                throw new Transport.KappaTransportException($"Could not {operation} on {_description}: reading the cluster metadata failed: {ex.Error.Reason} ({ex.Error.Code}).", ex);
            }

            // librdkafka logs the ApiVersions answer on its broker thread before it sends the metadata request on that
            // connection; allow a moment in case the log line is delivered on another thread.
            long deadline = Environment.TickCount64 + 2_000;
            while (_support.KnownBrokers.Count == 0 && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(10);
            }
        }

        IReadOnlyList<string> lacking = _support.Lacking(api);
        bool refusedBefore;
        lock (_gate)
        {
            refusedBefore = _refused.Contains(api);
        }

        if (lacking.Count > 0 || refusedBefore)
        {
            throw Unsupported(api, operation, lacking, null, "nothing was sent");
        }
    }

    /// <summary>
    /// librdkafka refused a request as unsupported by the broker (<see cref="ErrorCode.Local_UnsupportedFeature"/>):
    /// records that the API is missing and returns the exception to throw. For APIs sent to a group coordinator
    /// (<paramref name="coordinatorRequest"/>) the client is retained instead of ever being destroyed (see
    /// <see cref="Retained"/>) and the next operation builds a new one.
    /// </summary>
    public KafkaUnsupportedApiException Refused(KafkaApi api, string operation, Exception cause, bool coordinatorRequest)
    {
        lock (_gate)
        {
            _refused.Add(api);
            if (coordinatorRequest && _client is { } client)
            {
                Retained.Add(client);
                _client = null;
                _options.Log?.Invoke(
                    $"warning: librdkafka refused {api} as unsupported by the broker; its admin client is kept open until the process exits (destroying it would abort the process, see docs/kafka.md).");
            }
        }

        return Unsupported(api, operation, _support.Lacking(api), cause, "librdkafka refused to send it (the broker offers no version of it that librdkafka can use)");
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _client?.Dispose();
            _client = null;
        }
    }

    private KafkaUnsupportedApiException Unsupported(KafkaApi api, string operation, IReadOnlyList<string> lacking, Exception? cause, string outcome)
    {
        string who = lacking.Count switch
        {
            0 => "the broker",
            1 => $"the broker {lacking[0]}",
            _ => $"the brokers {string.Join(", ", lacking)}",
        };
        return new KafkaUnsupportedApiException(
            $"Could not {operation} on {_description}: {who} does not support {api}; {outcome}. (librdkafka's mock cluster implements none of the admin APIs.)",
            api,
            lacking,
            cause);
    }

    private IAdminClient Build()
    {
        Dictionary<string, string> config = KafkaConfig.Admin(_options);
        // librdkafka logs each broker's ApiVersions response only with debug=feature (or all).
        bool userDebug = config.TryGetValue("debug", out string? debug) && !string.IsNullOrWhiteSpace(debug);
        if (!userDebug)
        {
            config["debug"] = "feature";
        }
        else if (!debug!.Split(',', StringSplitOptions.TrimEntries).Any(c => c is "feature" or "all"))
        {
            config["debug"] = debug + ",feature";
        }

        return new AdminClientBuilder(config)
            .SetLogHandler((_, m) =>
            {
                _support.Observe(m.Facility, m.Message);
                // Debug lines only when the application asked for debug output itself.
                if ((userDebug || m.Level <= SyslogLevel.Info) && !_disposed)
                {
                    KafkaClients.OnLog(_options, m);
                }
            })
            .SetErrorHandler((_, e) =>
            {
                if (!_disposed)
                {
                    _options.Log?.Invoke($"error: {e}");
                }
            })
            .Build();
    }
}
