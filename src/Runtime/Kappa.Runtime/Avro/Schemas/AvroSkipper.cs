namespace Kappa.Avro.Schemas;

/// <summary>Skips a value of a writer schema (fields the reader does not have), validating as it goes.</summary>
internal static class AvroSkipper
{
    /// <summary>Skips one value of a primitive kind, or of a fixed of <paramref name="fixedSize"/> bytes (bytes and string share one encoding).</summary>
    public static void SkipPrimitive(ref AvroReader reader, AvroSchemaKind kind, int fixedSize = 0)
    {
        switch (kind)
        {
            case AvroSchemaKind.Null:
                break;
            case AvroSchemaKind.Boolean:
                reader.ReadBoolean();
                break;
            case AvroSchemaKind.Int:
                reader.ReadInt();
                break;
            case AvroSchemaKind.Long:
                reader.ReadLong();
                break;
            case AvroSchemaKind.Float:
                reader.ReadFixedSpan(4);
                break;
            case AvroSchemaKind.Double:
                reader.ReadFixedSpan(8);
                break;
            case AvroSchemaKind.Fixed:
                reader.ReadFixedSpan(fixedSize);
                break;
            default:
                reader.ReadBytesSpan();
                break;
        }
    }

    public static void Skip(ref AvroReader reader, AvroSchema schema)
    {
        switch (schema)
        {
            case AvroPrimitiveSchema p:
                SkipPrimitive(ref reader, p.Kind);
                break;
            case AvroFixedSchema f:
                SkipPrimitive(ref reader, AvroSchemaKind.Fixed, f.Size);
                break;
            case AvroEnumSchema e:
                reader.ReadEnumIndex(e.Symbols.Count);
                break;
            case AvroUnionSchema u:
                Skip(ref reader, u.Branches[reader.ReadUnionIndex(u.Branches.Count)]);
                break;
            case AvroArraySchema a:
                SkipBlocks(ref reader, a.Items, isMap: false);
                break;
            case AvroMapSchema m:
                SkipBlocks(ref reader, m.Values, isMap: true);
                break;
            case AvroRecordSchema r:
                reader.EnterRecord();
                IReadOnlyList<AvroField> fields = r.Fields;
                for (int i = 0; i < fields.Count; i++) // indexed: foreach over the interface would box an enumerator per record
                {
                    Skip(ref reader, fields[i].Schema);
                }

                reader.ExitRecord();
                break;
        }
    }

    private static void SkipBlocks(ref AvroReader reader, AvroSchema item, bool isMap)
    {
        int minSize = isMap ? 1 : AvroResolver.MinSize(item);
        int total = 0;
        int count;
        while ((count = reader.ReadBlockCount(minSize, total)) != 0)
        {
            total += count;
            for (int i = 0; i < count; i++)
            {
                if (isMap)
                {
                    reader.ReadBytesSpan();
                }

                Skip(ref reader, item);
            }
        }
    }
}
