using System.Globalization;
using System.Text;
using Kappa.Avro;
using Kappa.Processing;

namespace Kappa.Testing;

/// <summary>
/// A record the processor sent to its dead-letter topic: the original key, value and timestamp, and why
/// (<see cref="DeadLetterHeaders"/>).
/// </summary>
public sealed class TestDeadLetter
{
    internal TestDeadLetter(long offset, byte[]? key, byte[]? value, long timestampMs, IReadOnlyList<KeyValuePair<string, byte[]?>> headers)
    {
        DeadLetterOffset = offset;
        Key = key;
        Value = value;
        TimestampMs = timestampMs;
        Headers = headers;
    }

    /// <summary>The offset of this record in the dead-letter topic.</summary>
    public long DeadLetterOffset { get; }

    public byte[]? Key { get; }

    public string? KeyText => Key is null ? null : Encoding.UTF8.GetString(Key);

    /// <summary>The original value bytes (null for a tombstone).</summary>
    public byte[]? Value { get; }

    public long TimestampMs { get; }

    public IReadOnlyList<KeyValuePair<string, byte[]?>> Headers { get; }

    /// <summary>One of <see cref="DeadLetterHeaders.ReasonUndecodable"/>, <see cref="DeadLetterHeaders.ReasonNullValue"/>, <see cref="DeadLetterHeaders.ReasonNullKey"/>, <see cref="DeadLetterHeaders.ReasonHandlerError"/>, or for Confluent-framed inputs <see cref="DeadLetterHeaders.ReasonBadFraming"/>, <see cref="DeadLetterHeaders.ReasonUnknownSchemaId"/>, <see cref="DeadLetterHeaders.ReasonUnresolvableSchema"/>.</summary>
    public string Reason => Header(DeadLetterHeaders.Reason) ?? "";

    public string Error => Header(DeadLetterHeaders.Error) ?? "";

    /// <summary>Full type name of the exception behind it.</summary>
    public string ExceptionType => Header(DeadLetterHeaders.ExceptionType) ?? "";

    /// <summary>The input topic the record came from.</summary>
    public string SourceTopic => Header(DeadLetterHeaders.Topic) ?? "";

    public int SourcePartition => int.Parse(Header(DeadLetterHeaders.Partition) ?? "-1", CultureInfo.InvariantCulture);

    public long SourceOffset => long.Parse(Header(DeadLetterHeaders.Offset) ?? "-1", CultureInfo.InvariantCulture);

    public string? Header(string name) => TestHeaders.Last(Headers, name);

    /// <summary>Decodes the original value as <typeparamref name="T"/> (throws when it was the undecodable part).</summary>
    public T Decode<T>()
        where T : IAvroRecord<T> =>
        AvroSerializer.Deserialize<T>(Value ?? throw new InvalidOperationException("The dead-lettered record has a null value."));

    public override string ToString() => $"{SourceTopic}-{SourcePartition}@{SourceOffset} key '{KeyText}': {Reason} ({ExceptionType}: {Error})";
}
