using System.Text;
using Avro;
using Avro.Generic;
using Avro.IO;
using CsCheck;
using Kappa.Avro;
using Kappa.Avro.Schemas;
using Xunit.Abstractions;
using ApacheSchema = Avro.Schema;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// Property tests (CsCheck) of schema resolution against Apache.Avro 1.12.2: writer schemas evolved at random from
/// generated reader types (<see cref="WriterSchemaEvolution"/>), random data written by Apache's GenericDatumWriter
/// (<see cref="RandomDatum"/>), then Apache's GenericDatumReader(writer, reader) and Kappa's
/// <see cref="AvroResolution{T}"/> must agree: both refuse the schema pair, or both read each datum to equal values
/// (<see cref="ResolvedValueComparer"/>), or both refuse that datum. A failure reports CsCheck's seed of the smallest
/// failing case: <c>CsCheck_Seed=...</c> replays it, <c>CsCheck_Iter=...</c> searches longer (<see cref="PropertyRun"/>,
/// docs/contributing.md). Fixed failures stay as <see cref="ResolutionPropertyRegressionTests"/>.
/// </summary>
public sealed class ResolutionPropertyTests(ITestOutputHelper output)
{
    private const int DataPerSchema = 4;

    internal static readonly ReaderType[] Readers =
    [
        new ReaderType<PropScalars>(),
        new ReaderType<PropOptionals>(),
        new ReaderType<PropCollections>(),
        new ReaderType<PropLogical>(),
        new ReaderType<PropNested>(),
        new ReaderType<PropTree>(),
        new ReaderType<PropSettable>(),
        new ReaderType<PropInner>(),
        new ReaderType<PropModern>(),
    ];

    private static readonly Gen<(int Reader, uint[] Entropy, int DataSeed)> Cases =
        Gen.Select(Gen.Int[0, Readers.Length - 1], Gen.UInt.Array[0, 24], Gen.Int);

    private const long StandardIterations = 1500;

    [Fact]
    public void Resolved_values_equal_Apache_Avro_GenericDatumReader_results()
    {
        var stats = new Stats();
        long iterations = PropertyRun.Iterations(StandardIterations);
        Cases.Sample(
            (reader, entropy, seed) => Agree(Readers[reader], entropy, seed, stats),
            iter: iterations,
            print: c => Describe(c.Item1, c.Item2, c.Item3));

        output.WriteLine($"{iterations} cases: {stats}");

        // The generator must exercise every outcome, or agreement would prove little (the bounds are for 1,500 cases
        // and grow with CsCheck_Iter).
        long scale = iterations / StandardIterations;
        Assert.True(stats.Agreed > 1500 * scale, stats.ToString());
        Assert.True(stats.SchemaRefused > 100 * scale, stats.ToString());
        Assert.True(stats.DataRefused > 50 * scale, stats.ToString());
        Assert.True(stats.Identity > 20 * scale, stats.ToString());
        Assert.True(stats.InvalidSchemas < 150 * scale, stats.ToString());
        foreach (ReaderType reader in Readers)
        {
            Assert.True(stats.AgreedByReader.GetValueOrDefault(reader.Name) > 50 * scale, $"{reader.Name}: {stats}");
        }
    }

    private static string Describe(int reader, uint[] entropy, int seed) =>
        $"reader {Readers[reader].Name}, data seed {seed}, {WriterSchemaEvolution.Evolve(Readers[reader].SchemaJson, entropy)}";

    private static void Agree(ReaderType reader, uint[] entropy, int seed, Stats stats)
    {
        EvolvedSchema evolved = WriterSchemaEvolution.Evolve(reader.SchemaJson, entropy);
        ApacheSchema apacheWriter;
        ApacheSchema dataWriter;
        try
        {
            dataWriter = ApacheSchema.Parse(evolved.DataWriterJson);
            apacheWriter = ApacheSchema.Parse(ApacheCompat.WithoutUuidOnFixed(evolved.ApacheWriterJson));
        }
        catch (Exception e) when (e is SchemaParseException or AvroException or ArgumentException)
        {
            // A step left the schema invalid (a type renamed away from its references, a union with two branches of one
            // type in Apache's projection): not a case. Kappa must reject what Apache's parser rejects as the writer.
            Interlocked.Increment(ref stats.InvalidSchemas);
            return;
        }

        // What Apache parses, Kappa parses (throws AvroSchemaException otherwise, failing the case).
        AvroSchema kappaWriter = AvroSchemaParser.Parse(evolved.WriterJson);
        if (evolved.SkipsRecursiveType)
        {
            KappaAlone(reader, evolved, dataWriter, seed);
            Interlocked.Increment(ref stats.ApacheCannotSkip);
            return;
        }

        GenericDatumReader<object>? apache = null;
        Exception? apacheRefusal = null;
        try
        {
            apache = new GenericDatumReader<object>(
                apacheWriter,
                evolved.ApacheReaderWraps.Count == 0 ? reader.ApacheSchema : ApacheSchema.Parse(ApacheCompat.WithoutUuidOnFixed(evolved.ApacheReaderJson(reader.SchemaJson))));
        }
        catch (AvroException e)
        {
            apacheRefusal = e;
        }

        AvroSchemaResolutionException? kappaRefusal = null;
        bool identity = false;
        try
        {
            identity = reader.Resolve(evolved.WriterJson);
        }
        catch (AvroSchemaResolutionException e)
        {
            kappaRefusal = e;
        }

        if ((apacheRefusal is null) != (kappaRefusal is null))
        {
            throw new DisagreementException(
                $"Apache.Avro {(apacheRefusal is null ? "resolves" : $"refuses ({apacheRefusal.Message})")} but Kappa {(kappaRefusal is null ? "resolves" : $"refuses ({kappaRefusal.Message})")}; {evolved}");
        }

        if (kappaRefusal is not null)
        {
            // The error names both schemas (and the reason); a field path whenever the mismatch is below the root.
            Assert.Contains($"writer schema {kappaWriter.Describe()}", kappaRefusal.Message, StringComparison.Ordinal);
            Assert.Contains($"reader schema {reader.Schema.Describe()}", kappaRefusal.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(kappaRefusal.Reason));
            Interlocked.Increment(ref stats.SchemaRefused);
            return;
        }

        if (identity)
        {
            Interlocked.Increment(ref stats.Identity);
        }

        if (evolved.ApacheReaderWraps.Count > 0)
        {
            Interlocked.Increment(ref stats.WriterUnionsOnComplexReaders);
        }

        for (int i = 0; i < DataPerSchema; i++)
        {
            byte[]? bytes = TryWrite(dataWriter, unchecked(seed + i));
            if (bytes is null)
            {
                Interlocked.Increment(ref stats.InvalidSchemas);
                return;
            }

            object? apacheValue = null;
            Exception? apacheError = null;
            try
            {
                apacheValue = apache!.Read(null!, new BinaryDecoder(new MemoryStream(bytes, writable: false)));
            }
            catch (Exception e)
            {
                apacheError = e;
            }

            object? kappaValue = null;
            AvroDecodeException? kappaError = null;
            try
            {
                kappaValue = reader.Decode(evolved.WriterJson, bytes);
            }
            catch (AvroDecodeException e)
            {
                kappaError = e;
            }

            if (apacheError is not null && kappaError is not null)
            {
                Interlocked.Increment(ref stats.DataRefused);
                continue;
            }

            if (apacheError is not null || kappaError is not null)
            {
                throw new DisagreementException(
                    $"datum {i} ({Convert.ToHexString(bytes)}): Apache.Avro {(apacheError is null ? "reads it" : $"fails ({apacheError.GetType().Name}: {apacheError.Message})")}, Kappa {(kappaError is null ? "reads it" : $"fails ({kappaError.Message})")}; {evolved}");
            }

            string? difference = ResolvedValueComparer.Difference(reader.Schema, apacheValue, kappaValue, reader.Name);
            if (difference is not null)
            {
                throw new DisagreementException($"datum {i} ({Convert.ToHexString(bytes)}): {difference}; {evolved}");
            }

            Interlocked.Increment(ref stats.Agreed);
            stats.AgreedByReader.AddOrUpdate(reader.Name, 1, (_, n) => n + 1);
        }
    }

    /// <summary>Pairs Apache.Avro cannot build a reader for (see <see cref="EvolvedSchema.SkipsRecursiveType"/>): Kappa only has to stay within its error contract.</summary>
    private static void KappaAlone(ReaderType reader, EvolvedSchema evolved, ApacheSchema dataWriter, int seed)
    {
        try
        {
            reader.Resolve(evolved.WriterJson);
        }
        catch (AvroSchemaResolutionException)
        {
            return;
        }

        for (int i = 0; i < DataPerSchema; i++)
        {
            if (TryWrite(dataWriter, unchecked(seed + i)) is not byte[] bytes)
            {
                return;
            }

            try
            {
                Assert.NotNull(reader.Decode(evolved.WriterJson, bytes));
            }
            catch (AvroDecodeException)
            {
            }
        }
    }

    /// <summary>Apache-written bytes of a random datum, or null when the schema has no finite value.</summary>
    internal static byte[]? TryWrite(ApacheSchema dataWriter, int seed)
    {
        try
        {
            return RandomDatum.Write(dataWriter, new RandomDatum(seed).For(dataWriter));
        }
        catch (NoFiniteValueException)
        {
            return null;
        }
    }

    internal sealed class Stats
    {
        public int Agreed;
        public int SchemaRefused;
        public int DataRefused;
        public int Identity;
        public int InvalidSchemas;
        public int ApacheCannotSkip;
        public int WriterUnionsOnComplexReaders;
        public readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> AgreedByReader = new(StringComparer.Ordinal);

        public override string ToString() =>
            $"values agreed {Agreed}, schema pairs both refused {SchemaRefused}, data both refused {DataRefused}, identity plans {Identity}, invalid generated schemas skipped {InvalidSchemas}, recursive writer-only fields Apache cannot skip (Kappa alone) {ApacheCannotSkip}, resolvable pairs with writer unions against record/enum/array/map/logical readers {WriterUnionsOnComplexReaders}; values agreed per reader type: {string.Join(", ", AgreedByReader.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}";
    }

    private sealed class DisagreementException(string message) : Exception(message);
}
