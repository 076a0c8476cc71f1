namespace Kappa.Avro.Schemas;

/// <summary>
/// Which reader union branch a non-union writer type goes into: the first one it matches (same kind and name, or a
/// promotion), per the spec. Shared by the run-time resolver and the generated resolving decoders (this file is also
/// compiled into Kappa.Generators, see the linked sources in its project), so both pick the same branch.
/// </summary>
internal static class AvroBranchMatch
{
    /// <summary>True when the writer's type is read by the reader's (same kind and name, or a promotion); unions excluded.</summary>
    public static bool Matches(AvroSchema writer, AvroSchema reader) => (writer, reader) switch
    {
        (AvroRecordSchema w, AvroRecordSchema r) => r.AcceptsName(w),
        (AvroEnumSchema w, AvroEnumSchema r) => r.AcceptsName(w),
        (AvroFixedSchema w, AvroFixedSchema r) => r.AcceptsName(w) && w.Size == r.Size,
        (AvroArraySchema, AvroArraySchema) => true,
        (AvroMapSchema, AvroMapSchema) => true,
        (AvroPrimitiveSchema w, AvroPrimitiveSchema r) => w.Kind == r.Kind || AvroPromotion.IsPromotion(w.Kind, r.Kind),
        _ => false,
    };

    /// <summary>The index of the first branch of <paramref name="reader"/> that <paramref name="writer"/> matches, or -1.</summary>
    public static int FirstMatch(AvroSchema writer, AvroUnionSchema reader)
    {
        for (int i = 0; i < reader.Branches.Count; i++)
        {
            if (Matches(writer, reader.Branches[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
