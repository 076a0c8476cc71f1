using System.Collections.Concurrent;

namespace Kappa.Avro.Schemas;

/// <summary>
/// Reads data written with a writer schema as the <see cref="IAvroRecord{TSelf}"/> type <typeparamref name="T"/> (the
/// reader). The plan is built once per (writer schema, <typeparamref name="T"/>) and cached (<see cref="For(string)"/>).
/// Decoding reads <typeparamref name="T"/> straight from the writer's bytes in one pass: the plan (an
/// <see cref="AvroReadPlan"/>) drives <typeparamref name="T"/>'s generated <c>ReadAvroResolving</c>, so nothing is
/// allocated per record beyond the decoded values. When both
/// schemas have the same canonical form the generated decoder reads the bytes directly; when the writer schema is
/// recorded in <typeparamref name="T"/>'s schema history, its generated resolving decoder does
/// (<see cref="IAvroRecord{TSelf}.GetAvroResolvingReader(long)"/>).
/// </summary>
public sealed class AvroResolution<T>
    where T : IAvroRecord<T>
{
    private static readonly ConcurrentDictionary<string, AvroResolution<T>> Cache = new(StringComparer.Ordinal);

    // The type name for error messages, looked up once rather than on every decode.
    private static readonly string TypeName = typeof(T).Name;

    private readonly AvroReadPlan? _plan;
    private readonly AvroReadFunc<T>? _generated;

    private AvroResolution(AvroSchema writerSchema, bool useGenerated = true)
    {
        WriterSchema = writerSchema;
        WriterFingerprint = AvroFingerprint.Compute(AvroCanonicalForm.Of(writerSchema));
        _generated = useGenerated && WriterFingerprint != T.AvroFingerprint ? T.GetAvroResolvingReader(WriterFingerprint) : null;
        _plan = _generated is null && AvroResolver.Build(writerSchema, ReaderSchema) is ResolutionStep steps ? AvroReadPlanCompiler.Compile(steps) : null;
    }

    /// <summary><typeparamref name="T"/>'s own schema, parsed once.</summary>
    public static AvroSchema ReaderSchema { get; } = AvroSchemaParser.Parse(T.AvroSchemaJson);

    public AvroSchema WriterSchema { get; }

    /// <summary>CRC-64-AVRO fingerprint of <see cref="WriterSchema"/>.</summary>
    public long WriterFingerprint { get; }

    /// <summary>True when writer and reader have the same canonical form (no resolution needed).</summary>
    public bool IsIdentity => _plan is null && _generated is null;

    /// <summary>True when the run-time plan reads the data (one pass, <typeparamref name="T"/>'s generated <c>ReadAvroResolving</c>).</summary>
    internal bool UsesRuntimePlan => _plan is { IsDirect: false };

    /// <summary>
    /// True when the writer schema is recorded in <typeparamref name="T"/>'s schema history, so the generated resolving
    /// decoder reads the data (straight-line, no plan) instead of the run-time plan.
    /// </summary>
    public bool UsesGeneratedDecoder => _generated is not null;

    /// <summary>
    /// The cached resolution for <paramref name="writerSchemaJson"/>. Throws <see cref="AvroSchemaException"/> for invalid
    /// schema JSON and <see cref="AvroSchemaResolutionException"/> (naming both schemas and the field) when data written
    /// with it cannot be read as <typeparamref name="T"/>.
    /// </summary>
    public static AvroResolution<T> For(string writerSchemaJson)
    {
        ArgumentNullException.ThrowIfNull(writerSchemaJson);
        if (Cache.TryGetValue(writerSchemaJson, out AvroResolution<T>? cached))
        {
            return cached;
        }

        var created = new AvroResolution<T>(AvroSchemaParser.Parse(writerSchemaJson));
        return Cache.GetOrAdd(writerSchemaJson, created);
    }

    /// <summary>A resolution for an already parsed writer schema (not cached: keep the instance).</summary>
    public static AvroResolution<T> For(AvroSchema writerSchema)
    {
        ArgumentNullException.ThrowIfNull(writerSchema);
        return new AvroResolution<T>(writerSchema);
    }

    /// <summary>A resolution that always uses the run-time plan, even for a recorded schema (tests and benchmarks compare the two).</summary>
    internal static AvroResolution<T> WithRuntimePlan(AvroSchema writerSchema) => new(writerSchema, useGenerated: false);

    /// <summary>
    /// Decodes one value written with <see cref="WriterSchema"/> that must fill <paramref name="data"/> exactly. Bad bytes
    /// are an <see cref="AvroDecodeException"/> (at their offset in <paramref name="data"/>), as are writer union branches
    /// or enum symbols the reader cannot take.
    /// </summary>
    public T Decode(ReadOnlySpan<byte> data)
    {
        var reader = new AvroReader(data, TypeName);
        T value;
        if (_generated is not null)
        {
            value = _generated(ref reader);
        }
        else if (_plan is null)
        {
            value = T.ReadAvro(ref reader);
        }
        else
        {
            AvroReadPlan plan = _plan.Select(ref reader); // a writer union at the top picks the record's node
            value = plan.IsDirect ? T.ReadAvro(ref reader) : T.ReadAvroResolving(ref reader, plan);
        }

        reader.EnsureEnd();
        return value;
    }
}
