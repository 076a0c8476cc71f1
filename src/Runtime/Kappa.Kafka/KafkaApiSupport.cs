using System.Text.RegularExpressions;

namespace Kappa.Kafka;

/// <summary>
/// Which protocol APIs each broker supports, as the broker told librdkafka in its ApiVersions response. librdkafka has
/// no public call for it, but with <c>debug=feature</c> it logs the response once per connection (facility
/// <c>APIVERSION</c>): a line <c>{broker}: Broker API support:</c>, one line <c>{broker}:   ApiKey {Name} ({key})
/// Versions {min}..{max}</c> per API, then the feature lines. The admin client sets that flag and feeds its log here,
/// so an operation can be refused with a clear error before a request the broker lacks is sent (librdkafka 2.16
/// crashes when it destroys an admin client whose coordinator request, e.g. DeleteGroups, it refused as unsupported:
/// see docs/kafka.md). A broker's list counts once it is complete (the first line after the ApiKey lines).
/// </summary>
internal sealed partial class KafkaApiSupport
{
    private readonly object _gate = new();
    private readonly Dictionary<string, HashSet<short>> _complete = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<short>> _reading = new(StringComparer.Ordinal);

    /// <summary>Brokers (host:port) whose API list is known.</summary>
    public IReadOnlyList<string> KnownBrokers
    {
        get
        {
            lock (_gate)
            {
                return _complete.Keys.Order(StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Feeds one librdkafka log line (facility and message as Confluent.Kafka reports them).</summary>
    public void Observe(string facility, string message)
    {
        if (facility != "APIVERSION")
        {
            return;
        }

        Match line = ApiVersionLine().Match(message);
        if (!line.Success)
        {
            return;
        }

        string broker = Address(line.Groups["broker"].Value);
        string rest = line.Groups["rest"].Value;
        lock (_gate)
        {
            if (rest.StartsWith("Broker API support:", StringComparison.Ordinal))
            {
                _reading[broker] = [];
                return;
            }

            if (!_reading.TryGetValue(broker, out HashSet<short>? keys))
            {
                return;
            }

            Match api = ApiKeyLine().Match(rest);
            if (api.Success)
            {
                keys.Add(short.Parse(api.Groups["key"].Value, System.Globalization.CultureInfo.InvariantCulture));
                return;
            }

            // The first other line ends the list.
            _reading.Remove(broker);
            _complete[broker] = keys;
        }
    }

    /// <summary>Known brokers that do not support <paramref name="api"/> (empty when all known ones do, or none is known).</summary>
    public IReadOnlyList<string> Lacking(KafkaApi api)
    {
        lock (_gate)
        {
            return _complete.Where(b => !b.Value.Contains(api.Key)).Select(b => b.Key).Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>"127.0.0.1:9092/1" and "127.0.0.1:9092/bootstrap" are the same broker: keep the address only.</summary>
    private static string Address(string brokerName)
    {
        int slash = brokerName.LastIndexOf('/');
        return slash > 0 ? brokerName[..slash] : brokerName;
    }

    // "[thrd:127.0.0.1:9092/bootstrap]: 127.0.0.1:9092/bootstrap:   ApiKey DeleteGroups (42) Versions 0..2"
    [GeneratedRegex(@"^(?:\[thrd:[^\]]*\]: )?(?<broker>\S+): +(?<rest>.*)$")]
    private static partial Regex ApiVersionLine();

    [GeneratedRegex(@"^ApiKey \S+ \((?<key>-?\d+)\) Versions -?\d+\.\.-?\d+$")]
    private static partial Regex ApiKeyLine();
}
