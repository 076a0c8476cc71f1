using Confluent.Kafka;

namespace Kappa.Kafka;

/// <summary>How librdkafka errors of the transactional API are classified.</summary>
internal static class KafkaErrors
{
    /// <summary>
    /// True when the error means a newer producer with the same transactional id took over (or this producer's epoch is
    /// no longer valid): the producer must stop writing, nothing it retries can succeed.
    /// </summary>
    internal static bool IsFencing(Error error) => IsFencing(error.Code);

    internal static bool IsFencing(ErrorCode code) => code is ErrorCode.Local_Fenced or ErrorCode.ProducerFenced or ErrorCode.InvalidProducerEpoch;
}
