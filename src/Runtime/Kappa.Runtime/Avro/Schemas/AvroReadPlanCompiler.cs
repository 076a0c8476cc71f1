namespace Kappa.Avro.Schemas;

/// <summary>
/// Turns a resolution plan (<see cref="AvroResolver"/>'s steps, which hold the spec's resolution rules) into the
/// <see cref="AvroReadPlan"/> the generated one-pass decoders follow: every subtree whose writer encoding is the
/// reader's becomes <see cref="AvroReadPlan.Direct"/>, records list their fields in the writer's order with the reader
/// field each one fills, and reader-only fields come last with their encoded defaults.
/// </summary>
internal sealed class AvroReadPlanCompiler
{
    private readonly Dictionary<RecordStep, AvroReadPlan> _records = new(ReferenceEqualityComparer.Instance);

    private AvroReadPlanCompiler()
    {
    }

    /// <summary>The read plan of <paramref name="step"/>.</summary>
    public static AvroReadPlan Compile(ResolutionStep step) => new AvroReadPlanCompiler().Node(step);

    private AvroReadPlan Node(ResolutionStep step) => step switch
    {
        CopyStep => AvroReadPlan.Direct,
        PromoteStep p => AvroReadPlan.Promotion(p.From),
        EnumStep e => e.IsVerbatim ? AvroReadPlan.Direct : AvroReadPlan.Enum(e),
        WriterUnionStep u => WriterUnion(u),
        ReaderUnionStep r => AvroReadPlan.ReaderUnion(r.ReaderBranch, Node(r.Inner)),
        CollectionStep c => Collection(c),
        RecordStep r => Record(r),
        _ => throw new InvalidOperationException($"no read plan for a {step.GetType().Name}"),
    };

    private AvroReadPlan WriterUnion(WriterUnionStep union)
    {
        var branches = new AvroReadPlan?[union.Branches.Count];
        var failures = new string?[branches.Length];
        bool direct = true;
        for (int i = 0; i < branches.Length; i++)
        {
            ResolutionStep? branch = union.Branches[i];
            failures[i] = union.Failures[i];
            branches[i] = branch is null ? null : Node(branch);

            // The same union on both sides (branch i read into reader branch i as it is): the reader reads the index too.
            direct &= branch is ReaderUnionStep r && r.ReaderBranch == i && r.ReaderBranchCount == branches.Length && branches[i]!.Inner.IsDirect;
        }

        return direct ? AvroReadPlan.Direct : AvroReadPlan.WriterUnion(branches, failures);
    }

    private AvroReadPlan Collection(CollectionStep collection)
    {
        AvroReadPlan item = Node(collection.Item);
        if (item.IsDirect)
        {
            return AvroReadPlan.Direct;
        }

        AvroReadPlan node = AvroReadPlan.Collection(collection.IsMap ? Math.Max(1, collection.MinItemSize) : collection.MinItemSize);
        node.SetItem(item);
        return node;
    }

    private AvroReadPlan Record(RecordStep record)
    {
        if (record.IsVerbatim)
        {
            return AvroReadPlan.Direct;
        }

        if (_records.TryGetValue(record, out AvroReadPlan? existing))
        {
            return existing; // a recursive record: the node is shared
        }

        AvroReadPlan node = AvroReadPlan.Record(record);
        _records[record] = node;

        IReadOnlyList<WriterFieldAction> writerFields = record.WriterFields;
        IReadOnlyList<ReaderFieldAction> readerFields = record.ReaderFields;
        var readerOf = new int[writerFields.Count];
        Array.Fill(readerOf, -1);
        int defaults = 0;
        for (int k = 0; k < readerFields.Count; k++)
        {
            if (readerFields[k].WriterIndex >= 0)
            {
                readerOf[readerFields[k].WriterIndex] = k;
            }
            else
            {
                defaults++;
            }
        }

        var fields = new AvroFieldPlan[writerFields.Count + defaults];
        for (int i = 0; i < writerFields.Count; i++)
        {
            WriterFieldAction writerField = writerFields[i];
            int k = readerOf[i];
            AvroReadPlan plan = k >= 0 ? Node(readerFields[k].Step!) : AvroReadPlan.Direct;
            fields[i] = new AvroFieldPlan(k, writerField.Name, writerField.Schema, plan, null);
        }

        int next = writerFields.Count;
        for (int k = 0; k < readerFields.Count; k++)
        {
            if (readerFields[k].WriterIndex < 0)
            {
                fields[next++] = new AvroFieldPlan(k, readerFields[k].Name, null, AvroReadPlan.Direct, readerFields[k].Default);
            }
        }

        node.SetFields(fields);
        return node;
    }
}
