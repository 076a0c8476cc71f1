namespace Kappa.Avro.Schemas;

/// <summary>
/// Builds the resolution plan for reading data written with a writer schema as a reader schema, following the Avro 1.12
/// spec's "Schema Resolution": fields by name and aliases, writer-only fields skipped, reader-only fields from their
/// defaults, numeric promotions, string/bytes, enums by symbol with the enum default, unions on either side, records,
/// arrays and maps. A writer union branch the reader cannot read fails only when a record uses it (as the spec says);
/// everything else that cannot be resolved throws <see cref="AvroSchemaResolutionException"/> while building.
/// </summary>
internal sealed class AvroResolver
{
    private readonly AvroSchema _writerRoot;
    private readonly AvroSchema _readerRoot;
    private readonly Dictionary<(AvroRecordSchema, AvroRecordSchema), RecordStep> _records = [];
    private readonly List<(AvroRecordSchema, AvroRecordSchema)> _recordOrder = [];

    private AvroResolver(AvroSchema writer, AvroSchema reader)
    {
        _writerRoot = writer;
        _readerRoot = reader;
    }

    /// <summary>
    /// The plan, or null when the schemas have the same canonical form (the reader's own decoder reads the data as is).
    /// </summary>
    public static ResolutionStep? Build(AvroSchema writer, AvroSchema reader)
    {
        if (AvroCanonicalForm.Of(writer) == AvroCanonicalForm.Of(reader))
        {
            return null;
        }

        return new AvroResolver(writer, reader).Resolve(writer, reader, null);
    }

    /// <summary>Smallest encoded size of a value (0 for null, empty records and zero-size fixed), used to bound block counts.</summary>
    internal static int MinSize(AvroSchema schema) => MinSize(schema, 0);

    private static int MinSize(AvroSchema schema, int depth) => schema switch
    {
        AvroPrimitiveSchema { Kind: AvroSchemaKind.Null } => 0,
        AvroFixedSchema f => Math.Min(f.Size, 1),
        AvroRecordSchema r => depth > AvroReader.MaxDepth ? 0 : RecordMinSize(r, depth),
        _ => 1,
    };

    // A loop, not a lambda: a captured parameter would allocate a closure on every call (this runs while skipping).
    private static int RecordMinSize(AvroRecordSchema record, int depth)
    {
        for (int i = 0; i < record.Fields.Count; i++)
        {
            if (MinSize(record.Fields[i].Schema, depth + 1) > 0)
            {
                return 1;
            }
        }

        return 0;
    }

    internal static bool IsPromotion(AvroSchemaKind writer, AvroSchemaKind reader) => AvroPromotion.IsPromotion(writer, reader);

    private AvroSchemaResolutionException Error(string? path, string reason) => new(_writerRoot, _readerRoot, path, reason);

    private ResolutionStep Resolve(AvroSchema writer, AvroSchema reader, string? path)
    {
        if (writer is AvroUnionSchema writerUnion)
        {
            var steps = new ResolutionStep?[writerUnion.Branches.Count];
            var failures = new string?[steps.Length];
            for (int i = 0; i < steps.Length; i++)
            {
                try
                {
                    steps[i] = Resolve(writerUnion.Branches[i], reader, path);
                }
                catch (AvroSchemaResolutionException e)
                {
                    failures[i] = $"the writer's union branch {writerUnion.Branches[i].Describe()} cannot be read as {reader.Describe()} ({e.Reason})";
                }
            }

            return new WriterUnionStep(steps, failures);
        }

        if (reader is AvroUnionSchema readerUnion)
        {
            int branch = AvroBranchMatch.FirstMatch(writer, readerUnion);
            if (branch >= 0)
            {
                return new ReaderUnionStep(branch, readerUnion.Branches.Count, Resolve(writer, readerUnion.Branches[branch], path));
            }

            throw Error(path, $"the writer's {writer.Describe()} matches no branch of the reader's union {reader.Describe()}");
        }

        switch (writer, reader)
        {
            case (AvroRecordSchema w, AvroRecordSchema r) when r.AcceptsName(w):
                return ResolveRecord(w, r, path);
            case (AvroEnumSchema w, AvroEnumSchema r) when r.AcceptsName(w):
                return ResolveEnum(w, r);
            case (AvroFixedSchema w, AvroFixedSchema r) when r.AcceptsName(w):
                return w.Size == r.Size
                    ? new CopyStep(AvroSchemaKind.Fixed, w.Size)
                    : throw Error(path, $"fixed {w.FullName} has size {w.Size} in the writer and {r.Size} in the reader");
            case (AvroArraySchema w, AvroArraySchema r):
            {
                var step = new CollectionStep(isMap: false, MinSize(w.Items));
                step.Item = Resolve(w.Items, r.Items, path + "[]");
                return step;
            }

            case (AvroMapSchema w, AvroMapSchema r):
            {
                var step = new CollectionStep(isMap: true, MinSize(w.Values));
                step.Item = Resolve(w.Values, r.Values, path + "{}");
                return step;
            }

            case (AvroPrimitiveSchema w, AvroPrimitiveSchema r) when w.Kind == r.Kind:
                return new CopyStep(w.Kind, 0);
            case (AvroPrimitiveSchema w, AvroPrimitiveSchema r) when IsPromotion(w.Kind, r.Kind):
                return w.Kind is AvroSchemaKind.String or AvroSchemaKind.Bytes ? new CopyStep(AvroSchemaKind.Bytes, 0) : new PromoteStep(w.Kind, r.Kind);
            case (AvroNamedSchema w, AvroNamedSchema r) when w.Kind == r.Kind:
                throw Error(path, $"the writer's {PrimitiveOrKind(w)} {w.FullName} does not match the reader's {r.FullName} (names and aliases differ)");
            default:
                throw Error(path, $"the writer's type {writer.Describe()} cannot be read as {reader.Describe()}");
        }
    }

    private static string PrimitiveOrKind(AvroSchema schema) => AvroSchemaParser.PrimitiveName(schema.Kind);

    private EnumStep ResolveEnum(AvroEnumSchema writer, AvroEnumSchema reader)
    {
        int defaultIndex = reader.DefaultSymbol is null ? -1 : reader.IndexOf(reader.DefaultSymbol);
        var map = new int[writer.Symbols.Count];
        for (int i = 0; i < map.Length; i++)
        {
            int index = reader.IndexOf(writer.Symbols[i]);
            map[i] = index >= 0 ? index : defaultIndex;
        }

        return new EnumStep(map, writer.Symbols, reader.FullName);
    }

    private RecordStep ResolveRecord(AvroRecordSchema writer, AvroRecordSchema reader, string? path)
    {
        if (_records.TryGetValue((writer, reader), out RecordStep? existing))
        {
            return existing; // recursive type: the step is shared, so the plan is a graph
        }

        var step = new RecordStep(writer);
        _records[(writer, reader)] = step;
        int registered = _recordOrder.Count;
        _recordOrder.Add((writer, reader));
        try
        {
            ResolveFields(step, writer, reader, path);
            return step;
        }
        catch (AvroSchemaResolutionException)
        {
            // Inside a writer union branch the failure is caught and resolution goes on: this record's unfinished step, and
            // every record step built while trying it (which may refer to it), must not be found again.
            for (int i = registered; i < _recordOrder.Count; i++)
            {
                _records.Remove(_recordOrder[i]);
            }

            _recordOrder.RemoveRange(registered, _recordOrder.Count - registered);
            throw;
        }
    }

    private void ResolveFields(RecordStep step, AvroRecordSchema writer, AvroRecordSchema reader, string? path)
    {
        string prefix = string.IsNullOrEmpty(path) ? reader.Name : path;

        var readerActions = new ReaderFieldAction[reader.Fields.Count];
        var writerSteps = new ResolutionStep?[writer.Fields.Count];
        var pendingDefaults = new byte[writer.Fields.Count][];
        var pending = new List<byte>();
        bool inOrder = true;
        int lastWriter = -1;
        for (int i = 0; i < reader.Fields.Count; i++)
        {
            AvroField readerField = reader.Fields[i];
            string fieldPath = prefix + "." + readerField.Name;
            AvroField? writerField = FindWriterField(writer, readerField);
            if (writerField is null)
            {
                if (readerField.Default is null)
                {
                    throw Error(fieldPath, $"the reader's field '{readerField.Name}' is not in the writer's {writer.FullName} and has no default");
                }

                byte[] bytes;
                try
                {
                    bytes = AvroDefaultEncoder.Encode(readerField.Default.Value, readerField.Schema);
                }
                catch (AvroSchemaException e)
                {
                    throw Error(fieldPath, e.Message);
                }

                readerActions[i] = new ReaderFieldAction(readerField.Name, -1, null, bytes);
                pending.AddRange(bytes);
                continue;
            }

            ResolutionStep fieldStep = Resolve(writerField.Schema, readerField.Schema, fieldPath);
            writerSteps[writerField.Position] = fieldStep;
            readerActions[i] = new ReaderFieldAction(readerField.Name, writerField.Position, fieldStep, []);
            inOrder &= writerField.Position > lastWriter;
            lastWriter = writerField.Position;
            pendingDefaults[writerField.Position] = [.. pending];
            pending.Clear();
        }

        var writerActions = new WriterFieldAction[writer.Fields.Count];
        for (int i = 0; i < writerActions.Length; i++)
        {
            writerActions[i] = new WriterFieldAction(writer.Fields[i].Name, writer.Fields[i].Schema, writerSteps[i] ?? DropStep.For(writer.Fields[i].Schema), pendingDefaults[i] ?? []);
        }

        step.Initialize(writerActions, [.. pending], readerActions, inOrder);
    }

    private static AvroField? FindWriterField(AvroRecordSchema writer, AvroField readerField)
    {
        if (writer.Field(readerField.Name) is AvroField byName)
        {
            return byName;
        }

        foreach (string alias in readerField.Aliases)
        {
            if (writer.Field(alias) is AvroField byAlias)
            {
                return byAlias;
            }
        }

        return null;
    }
}
