using System.Text.Json.Nodes;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// A writer schema evolved from a reader schema, in three projections of one tree: <see cref="WriterJson"/> is the
/// writer schema itself (what Kappa resolves); <see cref="ApacheWriterJson"/> is the same schema with the evolution
/// steps that Apache.Avro 1.12.2 mishandles neutralized in ways that do not change a single byte of the encoding (see
/// <see cref="WriterSchemaEvolution"/>); <see cref="DataWriterJson"/> is the writer schema with <c>logicalType</c>
/// renamed to <c>x-logical</c>, so Apache's GenericDatumWriter writes the underlying values the data generator makes.
/// </summary>
internal sealed record EvolvedSchema(
    string WriterJson,
    string ApacheWriterJson,
    string DataWriterJson,
    IReadOnlyList<string> Steps,
    bool SkipsRecursiveType,
    IReadOnlyList<(string Record, string Field)> ApacheReaderWraps)
{
    /// <summary>
    /// The reader schema to give Apache: <paramref name="readerJson"/> with the type of each field in
    /// <see cref="ApacheReaderWraps"/> wrapped in a one-branch union. Apache refuses any writer union against a record,
    /// enum, array, map or logical-type reader when the reader is built (though the spec resolves the branch each datum
    /// selected); against a one-branch reader union it resolves per datum and returns the same value as the plain type.
    /// </summary>
    public string ApacheReaderJson(string readerJson)
    {
        if (ApacheReaderWraps.Count == 0)
        {
            return readerJson;
        }

        JsonNode reader = JsonNode.Parse(readerJson)!;
        Wrap(reader, string.Empty);
        return reader.ToJsonString();

        void Wrap(JsonNode? node, string enclosing)
        {
            switch (node)
            {
                case JsonArray union:
                    foreach (JsonNode? branch in union)
                    {
                        Wrap(branch, enclosing);
                    }

                    break;
                case JsonObject o:
                {
                    string ns = enclosing;
                    string? kind = WriterSchemaEvolution.TypeName(o["type"]);
                    if (kind is "record" or "enum" or "fixed")
                    {
                        ns = (string?)o["namespace"] ?? enclosing;
                    }

                    if (kind is "record" && o["fields"] is JsonArray fields)
                    {
                        string full = string.IsNullOrEmpty(ns) ? (string)o["name"]! : ns + "." + (string)o["name"]!;
                        foreach (JsonNode? f in fields)
                        {
                            var field = (JsonObject)f!;
                            Wrap(field["type"], ns);
                            if (ApacheReaderWraps.Contains((full, (string)field["name"]!)))
                            {
                                JsonNode type = field["type"]!;
                                field.Remove("type");
                                field["type"] = new JsonArray(type);
                            }
                        }
                    }

                    Wrap(o["items"], ns);
                    Wrap(o["values"], ns);
                    break;
                }
            }
        }
    }


    /// <summary>
    /// True when a writer-only field's type contains a recursive record. Apache.Avro 1.12.2 cannot skip such a field:
    /// its <c>PreresolvingDatumReader.GetSkip</c> builds the skipper of a record by recursing into every field type
    /// without remembering the records it is already building, so the GenericDatumReader constructor overflows the
    /// stack (which kills the test process). Such pairs are not compared with Apache.
    /// </summary>

    public override string ToString() => $"steps: [{string.Join("; ", Steps)}] writer: {WriterJson}";
}
