using System.Security.Cryptography;
using System.Text;
using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Avro.Schemas;

namespace Kappa.Lifecycle;

/// <summary>
/// Compares Confluent-framed values by what they mean: each value is decoded with its writer schema (fetched from the
/// schema registry by the id in its frame, once per id) into <see cref="AvroValueJson"/>'s canonical form, so equal
/// values written under different schema ids are equal. A value whose frame is bad, whose schema id the registry does
/// not know, or whose body does not decode with its schema is unreadable, with that reason. A registry that does not
/// answer stops the diff (<see cref="InvalidOperationException"/>).
/// </summary>
internal sealed class FramedOutputValueReader(ISchemaRegistry registry, string topic) : IOutputValueReader
{
    private const int MaxShown = 500;

    private readonly Dictionary<int, (AvroSchema? Schema, string? Problem)> _schemas = [];

    public bool ShowsValues => true;

    public OutputValue Read(ReadOnlySpan<byte> value)
    {
        (string? json, string? problem) = Decode(value);
        return json is null ? OutputValue.Unreadable(problem!) : OutputValue.Of(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json))));
    }

    public string? Show(ReadOnlySpan<byte> value)
    {
        (string? json, string? problem) = Decode(value);
        string text = json ?? "unreadable: " + problem;
        return text.Length <= MaxShown ? text : text[..MaxShown] + "...";
    }

    private (string? Json, string? Problem) Decode(ReadOnlySpan<byte> value)
    {
        int id;
        ReadOnlySpan<byte> body;
        try
        {
            id = ConfluentWireFormat.ReadHeader(value, out body);
        }
        catch (ConfluentWireFormatException e)
        {
            return (null, e.Message);
        }

        (AvroSchema? schema, string? problem) = Schema(id);
        if (schema is null)
        {
            return (null, problem);
        }

        try
        {
            return (AvroValueJson.Canonical(schema, body, schema.Describe()), null);
        }
        catch (AvroDecodeException e)
        {
            return (null, $"schema id {id}: {e.Message}");
        }
    }

    private (AvroSchema? Schema, string? Problem) Schema(int id)
    {
        if (_schemas.TryGetValue(id, out var known))
        {
            return known;
        }

        string? json;
        try
        {
            json = registry.GetSchemaAsync(id).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"Diffing the framed outputs of {topic} needs schema id {id}, and the schema registry did not answer: {e.Message}", e);
        }

        try
        {
            known = json is null
                ? (null, $"schema id {id} is not in the schema registry")
                : (AvroSchemaParser.Parse(json), null);
        }
        catch (AvroSchemaException e)
        {
            known = (null, $"schema id {id} is not a valid Avro schema: {e.Message}");
        }

        _schemas[id] = known;
        return known;
    }
}
