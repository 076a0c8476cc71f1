using System.Buffers;

namespace Kappa.Avro.Schemas;

/// <summary>
/// One node of a resolution plan: reads a value written with the writer schema and writes the same value in the reader
/// schema's encoding. Built once per (writer, reader) by <see cref="AvroResolver"/>; running it allocates nothing.
/// </summary>
internal abstract class ResolutionStep
{
    /// <summary>
    /// True when the value's encoding is the same on both sides, so the step's output is its input bytes as they are
    /// (<see cref="Run"/> reads with <see cref="Skip"/> and copies the range). A record copies a run of such fields in one
    /// go. Only final after the plan is built (a recursive record is not verbatim while its own fields are resolved).
    /// </summary>
    public virtual bool IsVerbatim => false;

    public abstract void Run(ref AvroReader reader, ref AvroWriter writer);

    /// <summary>Reads (and validates) the value exactly as <see cref="Run"/> does, writing nothing. Only for verbatim steps.</summary>
    public virtual void Skip(ref AvroReader reader) =>
        throw new InvalidOperationException($"{GetType().Name} is not verbatim and cannot be skipped");
}

/// <summary>
/// Same type on both sides: the bytes are copied as they are (validated by reading; a varint written longer than needed
/// stays so, and the reader's decoder reads it as the same value).
/// </summary>
internal sealed class CopyStep(AvroSchemaKind kind, int fixedSize) : ResolutionStep
{
    public override bool IsVerbatim => true;

    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        int start = reader.Position;
        Skip(ref reader);
        writer.WriteFixed(reader.ReadSince(start));
    }

    public override void Skip(ref AvroReader reader) => AvroSkipper.SkipPrimitive(ref reader, kind, fixedSize); // string <-> bytes: one encoding
}

/// <summary>
/// A writer-only value (a field the reader does not have): read and validated as <see cref="AvroSkipper"/> does, nothing
/// written. Primitives, fixed, and unions of those are read by precomputed steps; other schemas by <see cref="AvroSkipper"/>.
/// </summary>
internal sealed class DropStep : ResolutionStep
{
    private readonly AvroSchema _schema;
    private readonly CopyStep? _value;
    private readonly CopyStep[]? _branches;

    private DropStep(AvroSchema schema)
    {
        _schema = schema;
        _value = Plain(schema);
        if (_value is null && schema is AvroUnionSchema union)
        {
            var branches = new CopyStep[union.Branches.Count];
            for (int i = 0; i < branches.Length; i++)
            {
                if (Plain(union.Branches[i]) is not CopyStep branch)
                {
                    return;
                }

                branches[i] = branch;
            }

            _branches = branches;
        }
    }

    public static DropStep For(AvroSchema schema) => new(schema);

    public override void Run(ref AvroReader reader, ref AvroWriter writer) => Skip(ref reader);

    /// <summary>Reads and validates the value, keeping nothing (the one-pass plan skips writer-only fields with it).</summary>
    public override void Skip(ref AvroReader reader)
    {
        if (_value is not null)
        {
            _value.Skip(ref reader);
        }
        else if (_branches is not null)
        {
            _branches[reader.ReadUnionIndex(_branches.Length)].Skip(ref reader);
        }
        else
        {
            AvroSkipper.Skip(ref reader, _schema);
        }
    }

    private static CopyStep? Plain(AvroSchema schema) => schema switch
    {
        AvroPrimitiveSchema p => new CopyStep(p.Kind, 0),
        AvroFixedSchema f => new CopyStep(AvroSchemaKind.Fixed, f.Size),
        _ => null,
    };
}

/// <summary>The spec's numeric promotions: int to long/float/double, long to float/double, float to double.</summary>
internal sealed class PromoteStep(AvroSchemaKind from, AvroSchemaKind to) : ResolutionStep
{
    public AvroSchemaKind From => from;

    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        switch (from)
        {
            case AvroSchemaKind.Int when to == AvroSchemaKind.Long:
                writer.WriteLong(reader.ReadInt());
                break;
            case AvroSchemaKind.Int when to == AvroSchemaKind.Float:
                writer.WriteFloat(reader.ReadInt());
                break;
            case AvroSchemaKind.Int:
                writer.WriteDouble(reader.ReadInt());
                break;
            case AvroSchemaKind.Long when to == AvroSchemaKind.Float:
                writer.WriteFloat(reader.ReadLong());
                break;
            case AvroSchemaKind.Long:
                writer.WriteDouble(reader.ReadLong());
                break;
            default: // float -> double
                writer.WriteDouble(reader.ReadFloat());
                break;
        }
    }
}

/// <summary>Enum symbols mapped by name; unknown writer symbols go to the reader's default or fail.</summary>
internal sealed class EnumStep(int[] map, IReadOnlyList<string> writerSymbols, string readerName) : ResolutionStep
{
    // Every writer symbol has the same index in the reader: the index is copied as it is.
    private readonly bool _identity = IsIdentity(map);

    public override bool IsVerbatim => _identity;

    public override void Skip(ref AvroReader reader) => reader.ReadEnumIndex(map.Length);

    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        int start = reader.Position;
        if (_identity)
        {
            reader.ReadEnumIndex(map.Length);
            writer.WriteFixed(reader.ReadSince(start));
            return;
        }

        writer.WriteInt(ReadMapped(ref reader));
    }

    /// <summary>Reads the writer's symbol index and returns the reader's (its default for a symbol it lacks), or fails.</summary>
    public int ReadMapped(ref AvroReader reader)
    {
        int start = reader.Position;
        int index = reader.ReadEnumIndex(map.Length);
        int mapped = map[index];
        return mapped >= 0
            ? mapped
            : throw reader.Fail(start, $"enum symbol '{writerSymbols[index]}' is not a symbol of the reader's {readerName} and it has no default");
    }

    private static bool IsIdentity(int[] map)
    {
        for (int i = 0; i < map.Length; i++)
        {
            if (map[i] != i)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Writer union: the branch in the data picks the step (a branch the reader cannot read fails only when it occurs).</summary>
internal sealed class WriterUnionStep(ResolutionStep?[] branches, string?[] failures) : ResolutionStep
{
    public IReadOnlyList<ResolutionStep?> Branches => branches;

    public IReadOnlyList<string?> Failures => failures;

    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        int start = reader.Position;
        int index = reader.ReadUnionIndex(branches.Length);
        ResolutionStep step = branches[index] ?? throw reader.Fail(start, failures[index]!);
        step.Run(ref reader, ref writer);
    }
}

/// <summary>Reader union, writer not a union: writes the chosen reader branch index, then the value.</summary>
internal sealed class ReaderUnionStep(int readerBranch, int readerBranchCount, ResolutionStep inner) : ResolutionStep
{
    public int ReaderBranch => readerBranch;

    /// <summary>How many branches the reader's union has.</summary>
    public int ReaderBranchCount => readerBranchCount;

    public ResolutionStep Inner => inner;

    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        writer.WriteLong(readerBranch);
        inner.Run(ref reader, ref writer);
    }
}

/// <summary>Arrays and maps: blocks re-written with positive counts, items resolved one by one.</summary>
internal sealed class CollectionStep(bool isMap, int minItemSize) : ResolutionStep
{
    public bool IsMap => isMap;

    /// <summary>The smallest encoded size of a writer item.</summary>
    public int MinItemSize => minItemSize;

    public ResolutionStep Item { get; set; } = null!;

    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        int total = 0;
        int count;
        ResolutionStep item = Item;
        bool verbatim = item.IsVerbatim;
        while ((count = reader.ReadBlockCount(isMap ? Math.Max(1, minItemSize) : minItemSize, total)) != 0)
        {
            total += count;
            writer.WriteLong(count);
            if (verbatim)
            {
                // Keys and items keep their encoding: the block's items are read, then copied in one go.
                int start = reader.Position;
                for (int i = 0; i < count; i++)
                {
                    if (isMap)
                    {
                        reader.ReadBytesSpan();
                    }

                    item.Skip(ref reader);
                }

                writer.WriteFixed(reader.ReadSince(start));
                continue;
            }

            for (int i = 0; i < count; i++)
            {
                if (isMap)
                {
                    int keyStart = reader.Position;
                    reader.ReadBytesSpan();
                    writer.WriteFixed(reader.ReadSince(keyStart));
                }

                item.Run(ref reader, ref writer);
            }
        }

        writer.WriteLong(0);
    }
}

/// <summary>
/// Records: writer fields in writer order are resolved, skipped (writer-only) or, for reader-only fields, the reader's
/// default is written (pre-encoded bytes). When the matched fields keep their relative order the writer is read once,
/// front to back; otherwise the writer field offsets are found first and fields are read in the reader's order.
/// </summary>
internal sealed class RecordStep : ResolutionStep
{
    private const int StackFields = 64;

    // Streaming (in-order) program: one entry per writer field, plus defaults to emit before it.
    private WriterFieldAction[] _writerFields = [];
    private byte[] _trailingDefaults = [];

    // Out-of-order program: one entry per reader field.
    private ReaderFieldAction[] _readerFields = [];
    private bool _inOrder;

    // Per writer field: how many verbatim fields (no defaults between them) start a run there, copied in one go.
    private int[] _verbatimRuns = [];
    private bool _verbatim;

    public RecordStep(AvroRecordSchema writerSchema)
    {
        WriterSchema = writerSchema;
    }

    public AvroRecordSchema WriterSchema { get; }

    /// <summary>The writer's fields in the writer's order.</summary>
    public IReadOnlyList<WriterFieldAction> WriterFields => _writerFields;

    /// <summary>The reader's fields in the reader's order.</summary>
    public IReadOnlyList<ReaderFieldAction> ReaderFields => _readerFields;

    public void Initialize(WriterFieldAction[] writerFields, byte[] trailingDefaults, ReaderFieldAction[] readerFields, bool inOrder)
    {
        _writerFields = writerFields;
        _trailingDefaults = trailingDefaults;
        _readerFields = readerFields;
        _inOrder = inOrder;
        _verbatimRuns = new int[writerFields.Length];
        if (inOrder)
        {
            for (int i = writerFields.Length - 1; i >= 0; i--)
            {
                if (writerFields[i].Step.IsVerbatim)
                {
                    bool extends = i + 1 < writerFields.Length && _verbatimRuns[i + 1] > 0 && writerFields[i + 1].DefaultsBefore.Length == 0;
                    _verbatimRuns[i] = extends ? _verbatimRuns[i + 1] + 1 : 1;
                }
            }
        }

        // Every writer field read as it is, in order, and no defaults: the record's bytes are the same on both sides.
        _verbatim = inOrder && trailingDefaults.Length == 0 && readerFields.Length == writerFields.Length
            && (writerFields.Length == 0 || (_verbatimRuns[0] == writerFields.Length && writerFields[0].DefaultsBefore.Length == 0));
    }

    public override bool IsVerbatim => _verbatim;

    public override void Skip(ref AvroReader reader)
    {
        reader.EnterRecord();
        string? outerField = reader.Field;
        WriterFieldAction[] fields = _writerFields;
        for (int i = 0; i < fields.Length; i++)
        {
            reader.Field = fields[i].Name;
            fields[i].Step.Skip(ref reader);
        }

        reader.Field = outerField;
        reader.ExitRecord();
    }

    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        reader.EnterRecord();
        string? outerField = reader.Field;
        if (_inOrder)
        {
            WriterFieldAction[] fields = _writerFields;
            int[] runs = _verbatimRuns;
            int i = 0;
            while (i < fields.Length)
            {
                WriterFieldAction field = fields[i];
                if (field.DefaultsBefore.Length > 0)
                {
                    writer.WriteFixed(field.DefaultsBefore);
                }

                int run = runs[i];
                if (run > 0)
                {
                    int start = reader.Position;
                    for (int end = i + run; i < end; i++)
                    {
                        reader.Field = fields[i].Name;
                        fields[i].Step.Skip(ref reader);
                    }

                    writer.WriteFixed(reader.ReadSince(start));
                    continue;
                }

                reader.Field = field.Name;
                field.Step.Run(ref reader, ref writer); // a DropStep for a writer-only field
                i++;
            }

            if (_trailingDefaults.Length > 0)
            {
                writer.WriteFixed(_trailingDefaults);
            }
        }
        else
        {
            RunOutOfOrder(ref reader, ref writer);
        }

        reader.Field = outerField;
        reader.ExitRecord();
    }

    private void RunOutOfOrder(ref AvroReader reader, ref AvroWriter writer)
    {
        int n = _writerFields.Length;
        int[]? rented = null;
        Span<int> starts = n <= StackFields ? stackalloc int[StackFields] : (rented = ArrayPool<int>.Shared.Rent(n));
        try
        {
            for (int i = 0; i < n; i++)
            {
                starts[i] = reader.Position;
                reader.Field = _writerFields[i].Name;
                AvroSkipper.Skip(ref reader, _writerFields[i].Schema);
            }

            int end = reader.Position;
            foreach (ReaderFieldAction field in _readerFields)
            {
                if (field.WriterIndex < 0)
                {
                    writer.WriteFixed(field.Default);
                    continue;
                }

                reader.Seek(starts[field.WriterIndex]);
                reader.Field = _writerFields[field.WriterIndex].Name;
                field.Step!.Run(ref reader, ref writer);
            }

            reader.Seek(end);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }
}

/// <summary>
/// A writer field in the streaming program: defaults of reader-only fields that precede it, then resolve it or, for a
/// writer-only field, drop it (<see cref="DropStep"/>).
/// </summary>
internal sealed record WriterFieldAction(string Name, AvroSchema Schema, ResolutionStep Step, byte[] DefaultsBefore);

/// <summary>A reader field in the out-of-order program: resolved from writer field <see cref="WriterIndex"/> or its default.</summary>
internal sealed record ReaderFieldAction(string Name, int WriterIndex, ResolutionStep? Step, byte[] Default);
