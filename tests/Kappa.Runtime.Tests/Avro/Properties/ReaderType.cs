using Kappa.Avro;
using Kappa.Avro.Schemas;
using ApacheSchema = Avro.Schema;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>A generated reader type, used through Kappa's public API (<see cref="AvroResolution{T}"/>) without generics at the call site.</summary>
internal abstract class ReaderType
{
    private AvroSchema? _schema;
    private ApacheSchema? _apacheSchema;

    public abstract string Name { get; }

    public abstract string SchemaJson { get; }

    public AvroSchema Schema => _schema ??= AvroSchemaParser.Parse(SchemaJson);

    /// <summary>The schema as Apache.Avro parses it (without uuid on fixed, which it rejects: <see cref="ApacheCompat"/>).</summary>
    public ApacheSchema ApacheSchema => _apacheSchema ??= ApacheSchema.Parse(ApacheCompat.WithoutUuidOnFixed(SchemaJson));

    /// <summary>Builds (or takes from the cache) the plan; throws <see cref="AvroSchemaResolutionException"/> when unresolvable.</summary>
    public abstract bool Resolve(string writerJson);

    public abstract object Decode(string writerJson, ReadOnlySpan<byte> data);

    /// <summary>Whether data of the writer schema is read by a generated resolving decoder, and whether it is resolvable at all.</summary>
    public abstract (bool UsesGenerated, bool Resolvable) Generated(string writerJson);

    /// <summary>The decoded value re-encoded with the reader schema (hex), or "error: " and the message, through the generated decoder or the run-time plan.</summary>
    public abstract string Outcome(string writerJson, byte[] data, bool runtimePlan);

    public override string ToString() => Name;
}

internal sealed class ReaderType<T> : ReaderType
    where T : IAvroRecord<T>
{
    public override string Name => typeof(T).Name;

    public override string SchemaJson => T.AvroSchemaJson;

    public override bool Resolve(string writerJson) => AvroResolution<T>.For(writerJson).IsIdentity;

    public override object Decode(string writerJson, ReadOnlySpan<byte> data) => AvroResolution<T>.For(writerJson).Decode(data)!;

    public override (bool UsesGenerated, bool Resolvable) Generated(string writerJson)
    {
        try
        {
            return (AvroResolution<T>.For(writerJson).UsesGeneratedDecoder, true);
        }
        catch (AvroSchemaResolutionException)
        {
            return (false, false);
        }
    }

    public override string Outcome(string writerJson, byte[] data, bool runtimePlan)
    {
        AvroResolution<T> resolution = runtimePlan ? AvroResolution<T>.WithRuntimePlan(AvroSchemaParser.Parse(writerJson)) : AvroResolution<T>.For(writerJson);
        try
        {
            return Convert.ToHexString(AvroSerializer.SerializeToArray(resolution.Decode(data)));
        }
        catch (AvroDecodeException e)
        {
            return "error: " + e.Message;
        }
    }
}
