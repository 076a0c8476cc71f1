using Kappa.Transport;

namespace Kappa.Kafka;

/// <summary>Builds the librdkafka configuration of each client kind: Kappa's fixed choices, then user properties on top.</summary>
internal static class KafkaConfig
{
    internal static Dictionary<string, string> Consumer(
        KafkaTransportOptions options, string groupId, string? clientId, StartPosition startFrom, IReadOnlyDictionary<string, string>? extra, bool readCommitted = true)
    {
        Dictionary<string, string> config = Common(options, clientId);
        config["group.id"] = groupId;
        config["enable.auto.commit"] = "false";
        config["enable.auto.offset.store"] = "false";
        config["auto.offset.reset"] = startFrom == StartPosition.Latest ? "latest" : "earliest";
        Apply(config, extra);
        // Kappa commits explicitly after outputs are acknowledged; auto-commit would break at-least-once.
        if (config.TryGetValue("enable.auto.commit", out string? autoCommit) && autoCommit != "false")
        {
            throw new ArgumentException("enable.auto.commit must stay false: Kappa commits offsets only after outputs are acknowledged.");
        }

        // Records of aborted or still open transactions must never reach a processor unless asked for (ConsumerSettings.ReadCommitted).
        string isolation = readCommitted ? "read_committed" : "read_uncommitted";
        if (config.TryGetValue("isolation.level", out string? configured) && configured != isolation)
        {
            throw new ArgumentException(
                $"isolation.level={configured} in the consumer properties contradicts ConsumerSettings.ReadCommitted={(readCommitted ? "true" : "false")}; set ReadCommitted instead.");
        }

        config["isolation.level"] = isolation;

        // End-of-partition events tell the consumer's position past transaction markers and aborted records (restores
        // need it to know they are complete); they are never delivered as records.
        if (config.TryGetValue("enable.partition.eof", out string? eof) && eof != "true")
        {
            throw new ArgumentException("enable.partition.eof must stay true: Kappa uses end-of-partition events to tell when a restore reached the end of a changelog.");
        }

        config["enable.partition.eof"] = "true";

        return config;
    }

    internal static Dictionary<string, string> Producer(KafkaTransportOptions options, string? clientId, IReadOnlyDictionary<string, string>? extra)
    {
        Dictionary<string, string> config = Common(options, clientId);
        config["enable.idempotence"] = "true";
        // Java's default partitioner for keyed records (murmur2), random for null keys: same partitions as Java clients.
        config["partitioner"] = "murmur2_random";
        config["dotnet.producer.delivery.report.fields"] = "none";
        Apply(config, extra);
        return config;
    }

    /// <summary>
    /// A transactional producer: the plain producer's settings plus <c>transactional.id</c>. Idempotence is required by
    /// Kafka transactions, so turning it off is rejected; the transactional id cannot be overridden by properties.
    /// </summary>
    internal static Dictionary<string, string> TransactionalProducer(
        KafkaTransportOptions options, string? clientId, string transactionalId, IReadOnlyDictionary<string, string>? extra)
    {
        Dictionary<string, string> config = Producer(options, clientId, extra);
        if (config.TryGetValue("enable.idempotence", out string? idempotence) && idempotence != "true")
        {
            throw new ArgumentException(
                $"enable.idempotence must stay true for the transactional producer '{transactionalId}': Kafka transactions require idempotence.");
        }

        if (config.TryGetValue("transactional.id", out string? configured) && configured != transactionalId)
        {
            throw new ArgumentException(
                $"transactional.id is set to '{configured}' in the properties but the producer was created for '{transactionalId}'; pass the id to CreateTransactionalProducer only.");
        }

        config["transactional.id"] = transactionalId;
        return config;
    }

    internal static Dictionary<string, string> Admin(KafkaTransportOptions options) => Common(options, null);

    private static Dictionary<string, string> Common(KafkaTransportOptions options, string? clientId)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = options.BootstrapServers,
        };
        Apply(config, options.Properties);
        config["bootstrap.servers"] = options.BootstrapServers;
        if (!string.IsNullOrEmpty(clientId))
        {
            config["client.id"] = clientId;
        }

        return config;
    }

    private static void Apply(Dictionary<string, string> config, IReadOnlyDictionary<string, string>? extra)
    {
        if (extra is null)
        {
            return;
        }

        foreach (KeyValuePair<string, string> pair in extra)
        {
            config[pair.Key] = pair.Value;
        }
    }
}
