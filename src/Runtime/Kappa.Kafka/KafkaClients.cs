using Confluent.Kafka;
using Kappa.Transport;

namespace Kappa.Kafka;

/// <summary>What every Confluent client Kappa builds shares: failure mapping at build time, error and log handling.</summary>
internal static class KafkaClients
{
    /// <summary>Builds a client; build failures become <see cref="KappaTransportException"/>s naming the client.</summary>
    public static T Build<T>(string description, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"Could not create the {description}: {ex.Error.Reason}.", ex);
        }
        catch (ArgumentException ex)
        {
            throw new KappaTransportException($"Invalid configuration for the {description}: {ex.Message}", ex);
        }
    }

    /// <summary>The error handler of every client: keeps the first fatal error (raised by the next call) and logs all.</summary>
    public static void OnError(KafkaTransportOptions options, string description, Error error, ref Error? fatal)
    {
        if (error.IsFatal)
        {
            fatal ??= error;
        }

        options.Log?.Invoke($"{description}: {error.Code}: {error.Reason}");
    }

    /// <summary>
    /// The log handler of every client: librdkafka's log lines to <see cref="KafkaTransportOptions.Log"/>, each naming its
    /// client instance (e.g. <c>crash-host#consumer-2</c>), since all clients of a transport share one log.
    /// </summary>
    public static void OnLog(KafkaTransportOptions options, LogMessage message) =>
        options.Log?.Invoke($"{message.Level} {message.Name} {message.Facility}: {message.Message}");
}
