using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Kappa.Avro.Schemas;

/// <summary>
/// One node of a run-time resolution plan, as the generated one-pass resolving decoders follow it
/// (<see cref="IAvroRecord{TSelf}.ReadAvroResolving"/>): how a value of the reader's type is read straight from the
/// writer's bytes. Built once per (writer schema, reader type) by <see cref="AvroResolution{T}"/> and shared; reading
/// with it allocates nothing. Only generated code calls these members.
/// </summary>
/// <remarks>
/// A node is one of: <see cref="IsDirect"/> (the writer's encoding is the reader's: the type's own decoding code reads
/// it), a writer union (<see cref="Select"/> reads the branch index and gives that branch's node), a reader union with a
/// non-union writer (<see cref="ReaderBranch"/> and <see cref="Inner"/>), a numeric promotion (<see cref="ReadLong"/>,
/// <see cref="ReadFloat"/>, <see cref="ReadDouble"/>, <see cref="CheckPromotedLong"/>), an enum whose symbols moved
/// (<see cref="ReadEnumIndex"/>), an array or map whose items need resolving (<see cref="Inner"/>,
/// <see cref="MinItemSize"/>) or a record (<see cref="Fields"/>).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AvroReadPlan
{
    private readonly AvroReadPlanKind _kind;
    private readonly AvroSchemaKind _writerKind;
    private readonly AvroReadPlan?[]? _writerBranches;
    private readonly string?[]? _branchFailures;
    private readonly EnumStep? _enum;
    private AvroFieldPlan[]? _fields;

    private AvroReadPlan(AvroReadPlanKind kind) => _kind = kind;

    private AvroReadPlan(AvroReadPlan?[] writerBranches, string?[] failures)
        : this(AvroReadPlanKind.WriterUnion)
    {
        _writerBranches = writerBranches;
        _branchFailures = failures;
    }

    private AvroReadPlan(EnumStep mapping)
        : this(AvroReadPlanKind.Enum) => _enum = mapping;

    private AvroReadPlan(AvroSchemaKind writerKind)
        : this(AvroReadPlanKind.Promotion) => _writerKind = writerKind;

    /// <summary>The writer's bytes are in the reader's encoding: the reader type's own decoding code reads them.</summary>
    public static AvroReadPlan Direct { get; } = new(AvroReadPlanKind.Direct);

    /// <summary>True for <see cref="Direct"/>.</summary>
    public bool IsDirect => _kind == AvroReadPlanKind.Direct;

    /// <summary>Reader union (writer not a union): the reader's branch the writer's value goes into.</summary>
    public int ReaderBranch { get; private init; }

    /// <summary>The node of a reader union's value, or of the items of an array or the values of a map.</summary>
    public AvroReadPlan Inner { get; private set; } = null!;

    /// <summary>Arrays and maps: the smallest encoded size of a writer item, which bounds block counts.</summary>
    public int MinItemSize { get; private init; }

    /// <summary>Records: one entry per writer field in the writer's order, then the reader-only fields (from defaults).</summary>
    public ReadOnlySpan<AvroFieldPlan> Fields => _fields ?? throw new InvalidOperationException($"a {_kind} plan node has no fields");

    /// <summary>The record step this node was compiled from (for <see cref="ReadByRewriting{T}"/>).</summary>
    internal RecordStep? Source { get; private init; }

    /// <summary>
    /// A writer union: reads the branch index and returns that branch's node (failing for a branch the reader cannot
    /// read, as the spec says: only when it occurs). Any other node: itself, reading nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AvroReadPlan Select(ref AvroReader reader) => _writerBranches is null ? this : SelectBranch(ref reader);

    /// <summary>A long written as an int.</summary>
    public long ReadLong(ref AvroReader reader) => reader.ReadInt();

    /// <summary>A float written as an int or a long.</summary>
    public float ReadFloat(ref AvroReader reader) => _writerKind == AvroSchemaKind.Int ? (float)reader.ReadInt() : (float)reader.ReadLong();

    /// <summary>A double written as an int, a long or a float.</summary>
    public double ReadDouble(ref AvroReader reader) => _writerKind switch
    {
        // Each arm converts on its own: the switch's common type would otherwise be float, rounding ints and longs.
        AvroSchemaKind.Int => (double)reader.ReadInt(),
        AvroSchemaKind.Long => (double)reader.ReadLong(),
        _ => (double)reader.ReadFloat(),
    };

    /// <summary>
    /// A logical type on long (a timestamp, time-micros) written as an int: checks the int and leaves the position
    /// where it was, so the reader type's own code reads it (an int's encoding is the same value's long encoding).
    /// </summary>
    public void CheckPromotedLong(ref AvroReader reader)
    {
        int start = reader.Position;
        reader.ReadInt();
        reader.Seek(start);
    }

    /// <summary>An enum whose symbols moved or went: the writer's index mapped to the reader's (or its default).</summary>
    public int ReadEnumIndex(ref AvroReader reader) => _enum!.ReadMapped(ref reader);

    /// <summary>
    /// Reads a record of a type without a generated one-pass decoder (an <see cref="IAvroRecord{TSelf}"/> written by
    /// hand): its value is rewritten in the reader's encoding into a per-thread buffer, which <typeparamref name="T"/>'s
    /// <c>ReadAvro</c> then reads. A decode error is reported at the record's offset in the writer's bytes.
    /// </summary>
    internal T ReadByRewriting<T>(ref AvroReader reader)
        where T : IAvroRecord<T> => AvroRewritingReader.Read<T>(ref reader, Source ?? throw new InvalidOperationException("not a record plan node"));

    internal static AvroReadPlan Promotion(AvroSchemaKind writerKind) => new(writerKind);

    internal static AvroReadPlan Enum(EnumStep mapping) => new(mapping);

    internal static AvroReadPlan WriterUnion(AvroReadPlan?[] branches, string?[] failures) => new(branches, failures);

    internal static AvroReadPlan ReaderUnion(int branch, AvroReadPlan inner) => new(AvroReadPlanKind.ReaderUnion) { ReaderBranch = branch, Inner = inner };

    internal static AvroReadPlan Collection(int minItemSize) => new(AvroReadPlanKind.Collection) { MinItemSize = minItemSize };

    internal static AvroReadPlan Record(RecordStep source) => new(AvroReadPlanKind.Record) { Source = source };

    /// <summary>Sets a collection's item node (after creating the node, as records may refer to themselves).</summary>
    internal void SetItem(AvroReadPlan item) => Inner = item;

    /// <summary>Sets a record's fields (after creating the node, so a recursive record refers to it).</summary>
    internal void SetFields(AvroFieldPlan[] fields) => _fields = fields;

    private AvroReadPlan SelectBranch(ref AvroReader reader)
    {
        int start = reader.Position;
        int index = reader.ReadUnionIndex(_writerBranches!.Length);
        return _writerBranches[index] ?? throw reader.Fail(start, _branchFailures![index]!);
    }
}

/// <summary>What an <see cref="AvroReadPlan"/> node does.</summary>
internal enum AvroReadPlanKind
{
    Direct,
    WriterUnion,
    ReaderUnion,
    Promotion,
    Enum,
    Collection,
    Record,
}

/// <summary>
/// One field of a record's <see cref="AvroReadPlan"/>: a writer field read into reader field <see cref="ReaderField"/>
/// following <see cref="Plan"/>, a writer-only field skipped (<see cref="ReaderField"/> is -1), or a reader-only field
/// read from its default (<see cref="Default"/>, in the reader's encoding). Only generated code uses these members.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AvroFieldPlan
{
    // A writer-only field's step: primitives, fixed and unions of those by precomputed steps, others by AvroSkipper.
    private readonly DropStep? _drop;

    internal AvroFieldPlan(int readerField, string name, AvroSchema? writerSchema, AvroReadPlan plan, byte[]? defaultValue)
    {
        ReaderField = readerField;
        Name = name;
        _drop = readerField < 0 && writerSchema is not null ? DropStep.For(writerSchema) : null;
        Plan = plan;
        Default = defaultValue;
    }

    /// <summary>The reader's field index (its position in the reader's record), or -1 for a writer-only field.</summary>
    public int ReaderField { get; }

    /// <summary>The writer's field name (the reader's for a field read from its default).</summary>
    public string Name { get; }

    /// <summary>How the writer's value is read (<see cref="AvroReadPlan.Direct"/> for a default).</summary>
    public AvroReadPlan Plan { get; }

    /// <summary>A reader-only field's default in the reader's encoding; null when the writer has the field.</summary>
    public byte[]? Default { get; }

    /// <summary>Reads (and validates) a writer-only field's value, keeping nothing.</summary>
    public void Skip(ref AvroReader reader) => (_drop ?? throw new InvalidOperationException($"field '{Name}' is not a writer-only field")).Skip(ref reader);
}
