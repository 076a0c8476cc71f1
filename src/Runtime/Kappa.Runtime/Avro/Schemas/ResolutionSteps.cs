using System.Buffers;

namespace Kappa.Avro.Schemas;

/// <summary>
/// One node of a resolution plan: reads a value written with the writer schema and writes the same value in the reader
/// schema's encoding. Built once per (writer, reader) by <see cref="AvroResolver"/>; running it allocates nothing.
/// </summary>
internal abstract class ResolutionStep
{
    public abstract void Run(ref AvroReader reader, ref AvroWriter writer);
}

/// <summary>
/// Wraps a step to note where each value starts in the reader's encoding (the output) and in the writer's bytes (the
/// input). Plans built with probes run only after the generated decoder failed on the re-encoded bytes (a value the
/// plan copies without interpreting: a string that is not UTF-8, a uuid, a timestamp or date out of range, a decimal
/// too large), to report the offset of that value in the writer's bytes rather than in the re-encoded ones.
/// </summary>
internal sealed class ProbeStep(ResolutionStep inner) : ResolutionStep
{
    [ThreadStatic]
    private static List<(int Output, int Input)>? t_marks;

    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        t_marks?.Add((writer.Position, reader.Position));
        inner.Run(ref reader, ref writer);
    }

    /// <summary>
    /// The offset in <paramref name="data"/> (the writer's bytes) of the value that starts at
    /// <paramref name="outputOffset"/> in the re-encoded bytes, found by running <paramref name="probingPlan"/> (built
    /// with probes) again: the last value started at or before that output offset.
    /// </summary>
    public static int WriterOffsetOf(ResolutionStep probingPlan, ReadOnlySpan<byte> data, int outputOffset, string typeName)
    {
        var marks = new List<(int Output, int Input)>();
        t_marks = marks;
        try
        {
            var reader = new AvroReader(data, typeName);
            var writer = new AvroWriter(new ArrayBufferWriter<byte>(data.Length + 64));
            probingPlan.Run(ref reader, ref writer);
        }
        catch (AvroDecodeException)
        {
            // Not expected (the same plan has just run on these bytes); the marks so far still locate the value.
        }
        finally
        {
            t_marks = null;
        }

        int input = 0;
        foreach ((int output, int offset) in marks)
        {
            if (output > outputOffset)
            {
                break;
            }

            input = offset;
        }

        return input;
    }
}

/// <summary>Same type on both sides: the bytes are copied (validated by reading).</summary>
internal sealed class CopyStep(AvroSchemaKind kind, int fixedSize) : ResolutionStep
{
    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        switch (kind)
        {
            case AvroSchemaKind.Null:
                break;
            case AvroSchemaKind.Boolean:
                writer.WriteBoolean(reader.ReadBoolean());
                break;
            case AvroSchemaKind.Int:
                writer.WriteInt(reader.ReadInt());
                break;
            case AvroSchemaKind.Long:
                writer.WriteLong(reader.ReadLong());
                break;
            case AvroSchemaKind.Float:
                writer.WriteFixed(reader.ReadFixedSpan(4));
                break;
            case AvroSchemaKind.Double:
                writer.WriteFixed(reader.ReadFixedSpan(8));
                break;
            case AvroSchemaKind.Fixed:
                writer.WriteFixed(reader.ReadFixedSpan(fixedSize));
                break;
            default: // bytes, string, and string <-> bytes (same encoding)
                writer.WriteBytes(reader.ReadBytesSpan());
                break;
        }
    }
}

/// <summary>The spec's numeric promotions: int to long/float/double, long to float/double, float to double.</summary>
internal sealed class PromoteStep(AvroSchemaKind from, AvroSchemaKind to) : ResolutionStep
{
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
    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        int start = reader.Position;
        int index = reader.ReadEnumIndex(map.Length);
        int mapped = map[index];
        if (mapped < 0)
        {
            throw reader.Fail(start, $"enum symbol '{writerSymbols[index]}' is not a symbol of the reader's {readerName} and it has no default");
        }

        writer.WriteInt(mapped);
    }
}

/// <summary>Writer union: the branch in the data picks the step (a branch the reader cannot read fails only when it occurs).</summary>
internal sealed class WriterUnionStep(ResolutionStep?[] branches, string?[] failures) : ResolutionStep
{
    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        int start = reader.Position;
        int index = reader.ReadUnionIndex(branches.Length);
        ResolutionStep step = branches[index] ?? throw reader.Fail(start, failures[index]!);
        step.Run(ref reader, ref writer);
    }
}

/// <summary>Reader union, writer not a union: writes the chosen reader branch index, then the value.</summary>
internal sealed class ReaderUnionStep(int readerBranch, ResolutionStep inner) : ResolutionStep
{
    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        writer.WriteLong(readerBranch);
        inner.Run(ref reader, ref writer);
    }
}

/// <summary>Arrays and maps: blocks re-written with positive counts, items resolved one by one.</summary>
internal sealed class CollectionStep(bool isMap, int minItemSize) : ResolutionStep
{
    public ResolutionStep Item { get; set; } = null!;

    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        int total = 0;
        int count;
        while ((count = reader.ReadBlockCount(isMap ? Math.Max(1, minItemSize) : minItemSize, total)) != 0)
        {
            total += count;
            writer.WriteLong(count);
            for (int i = 0; i < count; i++)
            {
                if (isMap)
                {
                    writer.WriteBytes(reader.ReadBytesSpan());
                }

                Item.Run(ref reader, ref writer);
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

    public RecordStep(AvroRecordSchema writerSchema)
    {
        WriterSchema = writerSchema;
    }

    public AvroRecordSchema WriterSchema { get; }

    public void Initialize(WriterFieldAction[] writerFields, byte[] trailingDefaults, ReaderFieldAction[] readerFields, bool inOrder)
    {
        _writerFields = writerFields;
        _trailingDefaults = trailingDefaults;
        _readerFields = readerFields;
        _inOrder = inOrder;
    }

    public override void Run(ref AvroReader reader, ref AvroWriter writer)
    {
        reader.EnterRecord();
        string? outerField = reader.Field;
        if (_inOrder)
        {
            foreach (WriterFieldAction field in _writerFields)
            {
                if (field.DefaultsBefore.Length > 0)
                {
                    writer.WriteFixed(field.DefaultsBefore);
                }

                reader.Field = field.Name;
                if (field.Step is null)
                {
                    AvroSkipper.Skip(ref reader, field.Schema);
                }
                else
                {
                    field.Step.Run(ref reader, ref writer);
                }
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

/// <summary>A writer field in the streaming program: defaults of reader-only fields that precede it, then resolve or skip.</summary>
internal sealed record WriterFieldAction(string Name, AvroSchema Schema, ResolutionStep? Step, byte[] DefaultsBefore);

/// <summary>A reader field in the out-of-order program: resolved from writer field <see cref="WriterIndex"/> or its default.</summary>
internal sealed record ReaderFieldAction(int WriterIndex, ResolutionStep? Step, byte[] Default);
