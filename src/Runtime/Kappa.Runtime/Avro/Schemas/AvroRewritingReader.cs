using System.Buffers;

namespace Kappa.Avro.Schemas;

/// <summary>
/// Reads a record of an <see cref="IAvroRecord{TSelf}"/> type that has no generated one-pass resolving decoder (one
/// written by hand): the record's value is rewritten in the reader's encoding into a reused per-thread buffer by the
/// resolution steps, and the type's <c>ReadAvro</c> reads that. Generated types never come here.
/// </summary>
internal static class AvroRewritingReader
{
    private const int MaxRetainedBuffer = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static T Read<T>(ref AvroReader reader, RecordStep record)
        where T : IAvroRecord<T>
    {
        int start = reader.Position;
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        t_buffer = null; // a nested read (not expected) gets its own buffer
        buffer.ResetWrittenCount();
        try
        {
            var writer = new AvroWriter(buffer);
            record.Run(ref reader, ref writer);
            writer.Flush();
            var rewritten = new AvroReader(buffer.WrittenSpan, reader.TypeName);
            try
            {
                T value = T.ReadAvro(ref rewritten);
                rewritten.EnsureEnd();
                return value;
            }
            catch (AvroDecodeException e)
            {
                // The offset is in the rewritten bytes: report the record's offset in the writer's bytes instead.
                throw new AvroDecodeException(e.TypeName, e.FieldName, start, e.Reason);
            }
        }
        finally
        {
            if (buffer.Capacity <= MaxRetainedBuffer)
            {
                t_buffer = buffer;
            }
        }
    }
}
