namespace Kappa.Avro.Schemas;

/// <summary>
/// The spec's promotions: which writer primitive a reader of another primitive reads. Shared by the resolver and the
/// compatibility checker (this file is also compiled into Kappa.Generators, see the linked sources in its project).
/// </summary>
internal static class AvroPromotion
{
    public static bool IsPromotion(AvroSchemaKind writer, AvroSchemaKind reader) => (writer, reader) switch
    {
        (AvroSchemaKind.Int, AvroSchemaKind.Long or AvroSchemaKind.Float or AvroSchemaKind.Double) => true,
        (AvroSchemaKind.Long, AvroSchemaKind.Float or AvroSchemaKind.Double) => true,
        (AvroSchemaKind.Float, AvroSchemaKind.Double) => true,
        (AvroSchemaKind.String, AvroSchemaKind.Bytes) => true,
        (AvroSchemaKind.Bytes, AvroSchemaKind.String) => true,
        _ => false,
    };
}
