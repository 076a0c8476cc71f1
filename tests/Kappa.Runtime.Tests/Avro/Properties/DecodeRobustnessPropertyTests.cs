using CsCheck;
using Kappa.Avro;
using Kappa.Avro.Schemas;
using ApacheSchema = Avro.Schema;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// Property tests (CsCheck): bad bytes through Kappa's decoders, same-schema (the generated decoder) and resolving
/// (plans of random writer schemas from <see cref="WriterSchemaEvolution"/>), only ever fail as
/// <see cref="AvroDecodeException"/>: never IndexOutOfRange, Overflow, OutOfMemory, InvalidCast, a stack overflow or a
/// hang. Lengths are capped by the generators (at most 96 random bytes; encodings of small random values), so a hang or
/// a huge allocation could only come from the decoder trusting a length or count in the data.
/// </summary>
public sealed class DecodeRobustnessPropertyTests
{
    private static readonly ReaderType[] Readers = ResolutionPropertyTests.Readers;

    [Fact]
    public void Random_bytes_fail_only_as_decode_errors()
    {
        int decoded = 0;
        int failed = 0;
        int failedDeep = 0;
        Gen.Select(Gen.Int[0, Readers.Length - 1], Gen.UInt.Array[0, 24], Gen.Byte.Array[0, 96]).Sample(
            (r, entropy, bytes) =>
            {
                ReaderType reader = Readers[r];
                foreach (string writer in Writers(reader, entropy))
                {
                    try
                    {
                        reader.Decode(writer, bytes);
                        Interlocked.Increment(ref decoded);
                    }
                    catch (AvroDecodeException e)
                    {
                        Assert.False(string.IsNullOrEmpty(e.Reason));
                        Assert.InRange(e.Offset, 0, bytes.Length);
                        Interlocked.Increment(ref failed);
                        if (e.Offset >= 4)
                        {
                            Interlocked.Increment(ref failedDeep);
                        }
                    }
                }
            },
            iter: PropertyRun.Iterations(4000));

        // Random bytes (almost) never fill a value exactly; what matters is that they get past the first fields, so the
        // errors come from everywhere in the decoders, not only from the first byte.
        Assert.True(failed > 4000 && failedDeep > 300, $"decoded {decoded}, failed {failed}, failed at byte 4 or later {failedDeep}");
    }

    [Fact]
    public void Truncated_corrupted_and_extended_encodings_fail_only_as_decode_errors()
    {
        int corruptedDecoded = 0;
        int corruptedFailed = 0;
        int truncations = 0;
        Gen.Select(Gen.Int[0, Readers.Length - 1], Gen.UInt.Array[0, 24], Gen.Int, Gen.UInt.Array[1, 8]).Sample(
            (r, entropy, seed, edits) =>
            {
                ReaderType reader = Readers[r];
                foreach (string writer in Writers(reader, entropy))
                {
                    ApacheSchema dataWriter = ApacheSchema.Parse(DataWriterJson(writer));
                    if (ResolutionPropertyTests.TryWrite(dataWriter, seed) is not byte[] valid)
                    {
                        continue;
                    }

                    // The decoder is deterministic and must consume the input exactly, so every strict prefix of an
                    // encoding fails, and so does the encoding with a byte appended.
                    for (int length = 0; length < valid.Length; length++)
                    {
                        Assert.Throws<AvroDecodeException>(() => reader.Decode(writer, valid.AsSpan(0, length)));
                        Interlocked.Increment(ref truncations);
                    }

                    Assert.Throws<AvroDecodeException>(() => reader.Decode(writer, [.. valid, (byte)edits[0]]));

                    if (valid.Length == 0)
                    {
                        continue;
                    }

                    byte[] corrupted = [.. valid];
                    foreach (uint edit in edits)
                    {
                        corrupted[(int)(edit % (uint)corrupted.Length)] = (byte)(edit >> 8);
                        if (DecodeOrDecodeError(reader, writer, corrupted))
                        {
                            Interlocked.Increment(ref corruptedDecoded);
                        }
                        else
                        {
                            Interlocked.Increment(ref corruptedFailed);
                        }
                    }
                }
            },
            iter: PropertyRun.Iterations(1000));

        Assert.True(truncations > 10_000, $"{truncations} truncations");
        Assert.True(corruptedFailed > 500 && corruptedDecoded > 500, $"corrupted: decoded {corruptedDecoded}, failed {corruptedFailed}");
    }

    /// <summary>The reader's own schema (the generated decoder) and, when Kappa resolves it, an evolved writer schema.</summary>
    private static List<string> Writers(ReaderType reader, uint[] entropy)
    {
        var writers = new List<string> { reader.SchemaJson };
        EvolvedSchema evolved = WriterSchemaEvolution.Evolve(reader.SchemaJson, entropy);
        try
        {
            ApacheSchema.Parse(evolved.DataWriterJson);
            reader.Resolve(evolved.WriterJson);
            writers.Add(evolved.WriterJson);
        }
        catch (Exception e) when (e is AvroSchemaResolutionException or global::Avro.AvroException or ArgumentException)
        {
            // Unresolvable or invalid: the reader's own schema alone.
        }

        return writers;
    }

    private static string DataWriterJson(string writerJson) =>
        writerJson.Replace("\"logicalType\"", "\"x-logical\"", StringComparison.Ordinal);

    /// <summary>True when decoded, false on <see cref="AvroDecodeException"/>; any other exception fails the case.</summary>
    private static bool DecodeOrDecodeError(ReaderType reader, string writer, byte[] bytes)
    {
        try
        {
            reader.Decode(writer, bytes);
            return true;
        }
        catch (AvroDecodeException e)
        {
            Assert.False(string.IsNullOrEmpty(e.Reason));
            Assert.InRange(e.Offset, 0, bytes.Length);
            return false;
        }
    }
}
