using System.Text.Json;

namespace Kappa.Avro.Schemas;

/// <summary>
/// Which branch of a union a field's default value belongs to: the first one the JSON value can be a value of. Shared by
/// the run-time default encoder and the generated resolving decoders' default expressions (this file is also compiled
/// into Kappa.Generators, see the linked sources in its project), so both read a default into the same branch.
/// </summary>
internal static class AvroDefaultBranch
{
    /// <summary>The index of the first branch of <paramref name="union"/> that <paramref name="value"/> fits, or -1.</summary>
    public static int IndexOf(JsonElement value, AvroUnionSchema union)
    {
        for (int i = 0; i < union.Branches.Count; i++)
        {
            if (Fits(value, union.Branches[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether a JSON value can be a default of <paramref name="schema"/>.</summary>
    private static bool Fits(JsonElement value, AvroSchema schema) => schema switch
    {
        AvroRecordSchema => value.ValueKind == JsonValueKind.Object,
        AvroMapSchema => value.ValueKind == JsonValueKind.Object,
        AvroArraySchema => value.ValueKind == JsonValueKind.Array,
        AvroEnumSchema e => value.ValueKind == JsonValueKind.String && e.IndexOf(value.GetString()!) >= 0,
        AvroFixedSchema f => value.ValueKind == JsonValueKind.String && value.GetString()!.Length == f.Size,
        _ => schema.Kind switch
        {
            AvroSchemaKind.Null => value.ValueKind == JsonValueKind.Null,
            AvroSchemaKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            AvroSchemaKind.Int => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            AvroSchemaKind.Long => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            AvroSchemaKind.Float or AvroSchemaKind.Double => value.ValueKind == JsonValueKind.Number,
            _ => value.ValueKind == JsonValueKind.String,
        },
    };
}
