using System.Globalization;
using System.Text;
using System.Text.Json;
using Kappa.Avro.Schemas;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common.Templates;

namespace Kappa.Generators.Avro.History;

/// <summary>
/// Writes the resolving decoder of one (recorded writer schema, current [AvroRecord] type) pair as straight-line C#:
/// the writer's fields are read once, in the writer's order, into the reader's locals; writer-only fields are skipped;
/// reader-only fields take their defaults (of any type, <see cref="DefaultExpressionBuilder"/>); promotions (also into
/// logical types), enums by symbol name, fixed, unions on either side (every reader union the C# types map), nested and
/// recursive records, arrays and maps follow the Avro 1.12 spec's "Schema Resolution", as the run-time plan
/// (AvroResolver) does. A writer union branch the reader cannot read, or an enum symbol without a reader default, fails
/// only when data uses it.
/// </summary>
internal sealed class ResolvingDecoderBuilder
{
    private const string Reader = "global::Kappa.Avro.AvroReader";
    private const string DecodeException = "global::Kappa.Avro.AvroDecodeException";

    private static readonly Dictionary<AvroTypeKind, string> ScalarReads = new()
    {
        [AvroTypeKind.Boolean] = "ReadBoolean()",
        [AvroTypeKind.Int] = "ReadInt()",
        [AvroTypeKind.Long] = "ReadLong()",
        [AvroTypeKind.Float] = "ReadFloat()",
        [AvroTypeKind.Double] = "ReadDouble()",
        [AvroTypeKind.String] = "ReadString()",
        [AvroTypeKind.ByteArray] = "ReadBytes()",
        [AvroTypeKind.DateOnly] = "ReadDate()",
        [AvroTypeKind.Guid] = "ReadUuid()",
    };

    private readonly AvroRecordSpec _root;
    private readonly IReadOnlyDictionary<string, AvroRecordSpec> _specsByType;
    private readonly Dictionary<string, AvroTypeSpec> _readerRecords = new(StringComparer.Ordinal);
    private readonly int _version;
    private readonly List<string> _methods = new();
    private readonly Dictionary<(AvroRecordSchema Writer, string Reader), string> _recordMethods = new();
    private readonly Dictionary<AvroRecordSchema, string> _skipMethods = new();
    private readonly DefaultExpressionBuilder _defaults;
    private int _names;

    private ResolvingDecoderBuilder(AvroRecordSpec root, IReadOnlyDictionary<string, AvroRecordSpec> specsByType, int version)
    {
        _root = root;
        _specsByType = specsByType;
        _version = version;
        _defaults = new DefaultExpressionBuilder(specsByType, Definition);
        foreach (AvroFieldSpec field in root.Fields)
        {
            CollectRecords(field.Type);
        }
    }

    /// <summary>The decoder's method name and the code of all its methods; throws <see cref="NotGeneratedException"/> with the reason when it cannot be generated.</summary>
    public static (string MethodName, string Code) Build(AvroRecordSpec root, IReadOnlyDictionary<string, AvroRecordSpec> specsByType, string writerSchemaJson, int version)
    {
        var readerSchema = AvroSchemaParser.Parse(root.SchemaJson) as AvroRecordSchema
            ?? throw new NotGeneratedException("the type's schema is not a record");
        AvroSchema writer = AvroSchemaParser.Parse(writerSchemaJson);
        if (writer is not AvroRecordSchema writerRecord || !readerSchema.AcceptsName(writerRecord))
        {
            throw new NotGeneratedException($"the recorded schema is a {writer.Describe()}, which cannot be read as {readerSchema.FullName}");
        }

        var builder = new ResolvingDecoderBuilder(root, specsByType, version);
        var rootType = new AvroTypeSpec(AvroTypeKind.Record, root.FullyQualifiedName, AvroFullName: readerSchema.FullName, Fields: root.Fields, IsValueType: root.IsValueType);
        builder._readerRecords[readerSchema.FullName] = rootType; // a recursive type's fields refer back to it
        try
        {
            string name = builder.RecordMethod(writerRecord, readerSchema, rootType, root);
            return (name, string.Join("\n", builder._methods));
        }
        catch (UnresolvableException e)
        {
            throw new NotGeneratedException(
                $"the recorded schema cannot be resolved to the current one ({e.Message}), so its data cannot be read as this type at all: AvroResolution<T> refuses it with AvroSchemaResolutionException (a recorded schema can be unresolvable only under a relaxed compatibility mode)",
                refused: true);
        }
    }

    private void CollectRecords(AvroTypeSpec type)
    {
        if (type.Kind == AvroTypeKind.Record && !type.IsReference && type.AvroFullName is not null && !_readerRecords.ContainsKey(type.AvroFullName))
        {
            _readerRecords[type.AvroFullName] = type;
            foreach (AvroFieldSpec field in type.Fields)
            {
                CollectRecords(field.Type);
            }
        }
        else if (type.Item is not null)
        {
            CollectRecords(type.Item);
        }

        foreach (AvroTypeSpec branch in type.Branches)
        {
            CollectRecords(branch);
        }
    }

    private string NextName(string stem) => $"{stem}{++_names}";

    /// <summary>A private method reading a writer record as the reader record; returns its name.</summary>
    private string RecordMethod(AvroRecordSchema writer, AvroRecordSchema reader, AvroTypeSpec readerType, AvroRecordSpec readerSpec)
    {
        if (_recordMethods.TryGetValue((writer, reader.FullName), out string? existing))
        {
            return existing;
        }

        bool isRoot = ReferenceEquals(readerSpec, _root);
        string name = isRoot ? $"ReadAvroV{_version}" : NextName($"ReadAvroV{_version}_{reader.Name}_");
        // Methods written while this one is (nested records) may call it, so a failure takes them back too.
        int methods = _methods.Count;
        var recordMethods = new HashSet<(AvroRecordSchema, string)>(_recordMethods.Keys);
        var skipMethods = new HashSet<AvroRecordSchema>(_skipMethods.Keys);
        _recordMethods[(writer, reader.FullName)] = name; // before the fields: a recursive record calls the method it is in
        try
        {
            _methods.Add(RecordMethodCode(name, writer, reader, readerType, readerSpec));
            return name;
        }
        catch (UnresolvableException)
        {
            // Inside a writer union branch this fails only when data uses the branch; no other branch may call the method.
            _methods.RemoveRange(methods, _methods.Count - methods);
            foreach (var key in _recordMethods.Keys.Where(k => !recordMethods.Contains(k)).ToList())
            {
                _recordMethods.Remove(key);
            }

            foreach (AvroRecordSchema key in _skipMethods.Keys.Where(k => !skipMethods.Contains(k)).ToList())
            {
                _skipMethods.Remove(key);
            }

            throw;
        }
    }

    private string RecordMethodCode(string name, AvroRecordSchema writer, AvroRecordSchema reader, AvroTypeSpec readerType, AvroRecordSpec readerSpec)
    {
        AvroTypeSpec fields = readerType.IsReference ? Definition(readerType) : readerType;
        if (fields.Fields.Count != reader.Fields.Count)
        {
            throw new NotGeneratedException($"the fields of {reader.FullName} do not match its schema");
        }

        string typeLiteral = TemplateFunctions.AsciiLiteral(readerSpec.TypeName);
        var w = new CodeWriter();
        w.Line($"/// <summary>Reads {TemplateFunctions.Xml(readerSpec.TypeName)} from data written with recorded version {_version} of <c>{TemplateFunctions.Xml(_root.TypeName)}</c>'s schema.</summary>");
        w.Line($"private static {TemplateFunctions.NonNullable(readerType.CsType)} {name}(ref {Reader} reader)");
        w.Open();
        w.Line($"reader.TypeName = {typeLiteral};");
        for (int i = 0; i < reader.Fields.Count; i++)
        {
            if (fields.Fields[i].Name != reader.Fields[i].Name)
            {
                throw new NotGeneratedException($"the fields of {reader.FullName} do not match its schema");
            }

            w.Line($"{fields.Fields[i].Type.CsType} f{i};");
        }

        var matched = new int[writer.Fields.Count];
        for (int j = 0; j < matched.Length; j++)
        {
            matched[j] = -1;
        }

        for (int i = 0; i < reader.Fields.Count; i++)
        {
            AvroField? writerField = writer.Field(reader.Fields[i].Name) ?? reader.Fields[i].Aliases.Select(writer.Field).FirstOrDefault(f => f is not null);
            if (writerField is not null && matched[writerField.Position] < 0)
            {
                matched[writerField.Position] = i;
            }
        }

        var context = new Context(typeLiteral);
        for (int j = 0; j < writer.Fields.Count; j++)
        {
            AvroField writerField = writer.Fields[j];
            int i = matched[j];
            if (i < 0)
            {
                w.Line($"// {writerField.Name}: only in the writer's schema, skipped.");
                w.Line($"reader.Field = {TemplateFunctions.AsciiLiteral(writerField.Name)};");
                Skip(w, writerField.Schema, 0);
                continue;
            }

            string fieldName = reader.Fields[i].Name;
            w.Line($"reader.Field = {TemplateFunctions.AsciiLiteral(fieldName)};");
            Read(w, writerField.Schema, reader.Fields[i].Schema, fields.Fields[i].Type, $"f{i}", context with { Field = fieldName, Segment = TemplateFunctions.AsciiLiteral(fieldName) }, 0, $"{reader.FullName}.{fieldName}");
        }

        for (int i = 0; i < reader.Fields.Count; i++)
        {
            if (Array.IndexOf(matched, i) < 0)
            {
                AvroField field = reader.Fields[i];
                if (field.Default is not JsonElement value)
                {
                    throw new UnresolvableException($"the reader's field '{field.Name}' is not in the writer's {writer.FullName} and has no default");
                }

                w.Line($"f{i} = {_defaults.Expression(value, field.Schema, fields.Fields[i].Type, $"{reader.FullName}.{field.Name}")}; // only in the reader's schema: its default");
            }
        }

        if (readerSpec.UsePrimaryConstructor || reader.Fields.Count == 0)
        {
            w.Line($"return new {readerSpec.FullyQualifiedName}({string.Join(", ", Enumerable.Range(0, reader.Fields.Count).Select(i => "f" + i))});");
        }
        else
        {
            w.Line($"return new {readerSpec.FullyQualifiedName}");
            w.Open();
            for (int i = 0; i < reader.Fields.Count; i++)
            {
                w.Line($"{TemplateFunctions.Identifier(reader.Fields[i].Name)} = f{i},");
            }

            w.Close("};");
        }

        w.Close();
        return w.ToString();
    }

    /// <summary>A changed nested record (or a record default) of a type the generator sees only as a referenced symbol.</summary>
    internal static NotGeneratedException NotInThisCompilation(string fullName, string csType) =>
        new($"{fullName} ({csType}) is declared in a referenced assembly and differs from the recorded schema: how to construct it (primary constructor or init members, which members are fields) is decided by the generator run of that assembly and is not visible here");

    private AvroTypeSpec Definition(AvroTypeSpec type) =>
        type.AvroFullName is not null && _readerRecords.TryGetValue(type.AvroFullName, out AvroTypeSpec? definition)
            ? definition
            : throw new NotGeneratedException($"the definition of {type.AvroFullName} was not found");

    /// <summary>What the value being read belongs to, for error paths (as the type's own ReadAvro reports them).</summary>
    private sealed record Context(string TypeLiteral)
    {
        public string Field { get; init; } = string.Empty;

        public string Segment { get; init; } = "null";
    }

    /// <summary>Reads a value written as <paramref name="writer"/> into <paramref name="target"/> (reader schema <paramref name="reader"/>, C# type <paramref name="type"/>).</summary>
    private void Read(CodeWriter w, AvroSchema writer, AvroSchema reader, AvroTypeSpec type, string target, Context context, int depth, string path)
    {
        if (writer is AvroUnionSchema writerUnion)
        {
            string start = "u" + depth;
            var branches = new List<string>();
            bool fails = false;
            for (int b = 0; b < writerUnion.Branches.Count; b++)
            {
                var branch = new CodeWriter(w.Level + 3);
                try
                {
                    Read(branch, writerUnion.Branches[b], reader, type, target, context, depth + 1, path);
                    branch.Line("break;");
                }
                catch (UnresolvableException e)
                {
                    branch = new CodeWriter(w.Level + 3);
                    branch.Line($"throw reader.Fail({start}, {TemplateFunctions.Literal($"the writer's union branch {writerUnion.Branches[b].Describe()} cannot be read as {reader.Describe()} ({e.Message})")});");
                    fails = true;
                }

                branches.Add(branch.ToString());
            }

            w.Open();
            if (fails)
            {
                w.Line($"int {start} = reader.Position;");
            }

            w.Line($"switch (reader.ReadUnionIndex({writerUnion.Branches.Count}))");
            w.Open();
            for (int b = 0; b < branches.Count; b++)
            {
                w.Line(b + 1 < branches.Count ? $"case {b}:" : "default:");
                w.Raw(branches[b]);
            }

            w.Close();
            w.Close();
            return;
        }

        if (reader is AvroUnionSchema readerUnion)
        {
            ReadIntoUnion(w, writer, readerUnion, type, target, context, depth, path);
            return;
        }

        if (type.Kind is AvroTypeKind.Nullable or AvroTypeKind.Union or AvroTypeKind.ValueUnion)
        {
            throw new NotGeneratedException($"{path}: {type.CsType} is a union in C# but its schema {reader.Describe()} is not");
        }

        switch (writer, reader)
        {
            case (AvroRecordSchema wr, AvroRecordSchema rr):
                if (type.Kind != AvroTypeKind.Record)
                {
                    throw new NotGeneratedException($"{path}: {type.CsType} is not a record");
                }

                if (!rr.AcceptsName(wr))
                {
                    throw new UnresolvableException($"the writer's record {wr.FullName} does not match the reader's {rr.FullName} (names and aliases differ)");
                }

                ReadRecord(w, wr, rr, type, target, context);
                return;
            case (AvroEnumSchema we, AvroEnumSchema re):
                if (type.Kind != AvroTypeKind.Enum)
                {
                    throw new NotGeneratedException($"{path}: {type.CsType} is not an enum");
                }

                if (!re.AcceptsName(we))
                {
                    throw new UnresolvableException($"the writer's enum {we.FullName} does not match the reader's {re.FullName} (names and aliases differ)");
                }

                ReadEnum(w, we, re, type, target, depth);
                return;
            case (AvroArraySchema wa, AvroArraySchema ra):
                if (type.Kind is not (AvroTypeKind.Array or AvroTypeKind.List or AvroTypeKind.ReadOnlyList))
                {
                    throw new NotGeneratedException($"{path}: {type.CsType} is not a list");
                }

                ReadArray(w, wa, ra, type, target, context, depth, path);
                return;
            case (AvroMapSchema wm, AvroMapSchema rm):
                if (type.Kind is not (AvroTypeKind.Dictionary or AvroTypeKind.ReadOnlyDictionary))
                {
                    throw new NotGeneratedException($"{path}: {type.CsType} is not a dictionary");
                }

                ReadMap(w, wm, rm, type, target, context, depth, path);
                return;
            case (AvroPrimitiveSchema wp, AvroPrimitiveSchema rp):
                ReadPrimitive(w, wp, rp, type, target, path);
                return;
            case (AvroFixedSchema wf, AvroFixedSchema rf):
                if (!rf.AcceptsName(wf))
                {
                    throw new UnresolvableException($"the writer's fixed {wf.FullName} does not match the reader's {rf.FullName} (names and aliases differ)");
                }

                if (wf.Size != rf.Size)
                {
                    throw new UnresolvableException($"fixed {wf.FullName} has size {wf.Size} in the writer and {rf.Size} in the reader");
                }

                w.Line($"{target} = {Fixed(type, rf.Size, path)};");
                return;
            default:
                throw new UnresolvableException($"the writer's type {writer.Describe()} cannot be read as {reader.Describe()}");
        }
    }

    /// <summary>
    /// A primitive (or a logical type on one) read as the member's type. Promotions whose encodings are the same (int to
    /// long, string to bytes and back) read the value with the reader's own method, so an int written where the reader has
    /// a timestamp-millis long, a string read as a decimal's bytes or bytes as a uuid string are checked by that method, as
    /// the member's ReadAvro checks them after the run-time plan copied them.
    /// </summary>
    private static void ReadPrimitive(CodeWriter w, AvroPrimitiveSchema writer, AvroPrimitiveSchema reader, AvroTypeSpec type, string target, string path)
    {
        if (writer.Kind != reader.Kind && !AvroPromotion.IsPromotion(writer.Kind, reader.Kind))
        {
            throw new UnresolvableException($"the writer's type {writer.Describe()} cannot be read as {reader.Describe()}");
        }

        string? numeric = (writer.Kind, type.Kind) switch
        {
            (AvroSchemaKind.Int, AvroTypeKind.Long) => "(long)reader.ReadInt()",
            (AvroSchemaKind.Int, AvroTypeKind.Float) => "(float)reader.ReadInt()",
            (AvroSchemaKind.Int, AvroTypeKind.Double) => "(double)reader.ReadInt()",
            (AvroSchemaKind.Long, AvroTypeKind.Float) => "(float)reader.ReadLong()",
            (AvroSchemaKind.Long, AvroTypeKind.Double) => "(double)reader.ReadLong()",
            (AvroSchemaKind.Float, AvroTypeKind.Double) => "(double)reader.ReadFloat()",
            _ => null,
        };
        if (writer.Kind != reader.Kind && numeric is not null)
        {
            w.Line($"{target} = {numeric};");
            return;
        }

        if (writer.Kind == AvroSchemaKind.Int && reader.Kind == AvroSchemaKind.Long)
        {
            // A logical type on long (timestamp, time-micros): an int's encoding is a long's, but it must be an int.
            w.Line("{ global::Kappa.Avro.AvroReader promoted = reader; promoted.ReadInt(); }");
        }
        else if (writer.Kind != reader.Kind && !(writer.Kind is AvroSchemaKind.String or AvroSchemaKind.Bytes && reader.Kind is AvroSchemaKind.String or AvroSchemaKind.Bytes))
        {
            throw new NotGeneratedException($"{path}: the promotion from {writer.Describe()} to {type.CsType} is read by the run-time plan");
        }

        w.Line($"{target} = {OwnRead(type, path)};");
    }

    /// <summary>The expression that reads a value of the member's primitive-based type from its own encoding.</summary>
    private static string OwnRead(AvroTypeSpec type, string path)
    {
        if (type.Kind == AvroTypeKind.ReadOnlyMemory)
        {
            return "new global::System.ReadOnlyMemory<byte>(reader.ReadBytes())";
        }

        return "reader." + (ScalarReads.TryGetValue(type.Kind, out string? read) ? read : type.Kind switch
        {
            AvroTypeKind.Decimal => $"ReadDecimal({type.Scale.ToString(CultureInfo.InvariantCulture)})",
            AvroTypeKind.DateTimeOffset => type.Micros ? "ReadTimestampMicros()" : "ReadTimestampMillis()",
            AvroTypeKind.DateTime when type.Local => type.Micros ? "ReadLocalTimestampMicros()" : "ReadLocalTimestampMillis()",
            AvroTypeKind.DateTime => type.Micros ? "ReadDateTimeMicros()" : "ReadDateTimeMillis()",
            AvroTypeKind.TimeOnly => type.Micros ? "ReadTimeMicros()" : "ReadTimeMillis()",
            _ => throw new NotGeneratedException($"{path}: {type.CsType} is not read from a primitive"),
        });
    }

    /// <summary>
    /// A non-union writer value into a reader union: the first reader branch it matches (as the run-time plan picks it),
    /// read as that branch's C# type; <c>AvroUnion&lt;...&gt;</c> members wrap it with <c>FromItemN</c>.
    /// </summary>
    private void ReadIntoUnion(CodeWriter w, AvroSchema writer, AvroUnionSchema reader, AvroTypeSpec type, string target, Context context, int depth, string path)
    {
        IReadOnlyList<ReaderBranch> branches = ReaderUnionBranches.Of(reader, type)
            ?? throw new NotGeneratedException($"{path}: {type.CsType} does not map the union {reader.Describe()}");
        int index = AvroBranchMatch.FirstMatch(writer, reader);
        if (index < 0)
        {
            throw new UnresolvableException($"the writer's {writer.Describe()} matches no branch of the reader's union {reader.Describe()}");
        }

        ReaderBranch branch = branches[index];
        if (branch.Type is null)
        {
            w.Line($"{target} = null;");
            return;
        }

        if (branch.Wrap is null)
        {
            Read(w, writer, reader.Branches[index], branch.Type, target, context, depth, path);
            return;
        }

        string value = "uv" + depth;
        w.Open();
        w.Line($"{branch.Type.CsType} {value};");
        Read(w, writer, reader.Branches[index], branch.Type, value, context, depth + 1, path);
        w.Line($"{target} = {branch.Wrap}({value});");
        w.Close();
    }

    /// <summary>A fixed value as the member's type: bytes, a uuid on fixed(16) or a duration on fixed(12).</summary>
    private static string Fixed(AvroTypeSpec type, int size, string path) => type.Kind switch
    {
        AvroTypeKind.ByteArray => $"reader.ReadFixed({size.ToString(CultureInfo.InvariantCulture)})",
        AvroTypeKind.ReadOnlyMemory => $"new global::System.ReadOnlyMemory<byte>(reader.ReadFixed({size.ToString(CultureInfo.InvariantCulture)}))",
        AvroTypeKind.Guid when size == 16 => "reader.ReadUuidFixed()",
        AvroTypeKind.Duration when size == 12 => "reader.ReadDuration()",
        _ => throw new NotGeneratedException($"{path}: {type.CsType} is not a fixed({size}) type"),
    };

    private void ReadRecord(CodeWriter w, AvroRecordSchema writer, AvroRecordSchema reader, AvroTypeSpec type, string target, Context context)
    {
        string csType = TemplateFunctions.NonNullable(type.CsType);
        string call;
        if (AvroCanonicalForm.Of(writer) == AvroCanonicalForm.Of(reader))
        {
            call = $"{csType}.ReadAvro(ref reader)";
        }
        else
        {
            if (!_specsByType.TryGetValue(csType, out AvroRecordSpec? spec))
            {
                throw NotInThisCompilation(reader.FullName, csType);
            }

            call = $"{RecordMethod(writer, reader, type.IsReference ? Definition(type) : type, spec)}(ref reader)";
        }

        w.Line("reader.EnterRecord();");
        w.Line("try");
        w.Open();
        w.Line($"{target} = {call};");
        w.Close();
        w.Line($"catch ({DecodeException} e)");
        w.Open();
        w.Line($"throw e.Nest({context.TypeLiteral}, {context.Segment});");
        w.Close();
        w.Line("reader.ExitRecord();");
        w.Line($"reader.TypeName = {context.TypeLiteral};");
        w.Line($"reader.Field = {TemplateFunctions.AsciiLiteral(context.Field)};");
    }

    private static void ReadEnum(CodeWriter w, AvroEnumSchema writer, AvroEnumSchema reader, AvroTypeSpec type, string target, int depth)
    {
        string csType = TemplateFunctions.NonNullable(type.CsType);
        if (type.Symbols.Count != reader.Symbols.Count || !type.Symbols.SequenceEqual(reader.Symbols))
        {
            throw new NotGeneratedException($"the symbols of {reader.FullName} do not match its schema");
        }

        string start = "e" + depth;
        w.Open();
        if (writer.Symbols.Any(symbol => reader.IndexOf(symbol) < 0) && reader.DefaultSymbol is null)
        {
            w.Line($"int {start} = reader.Position;");
        }

        w.Line($"{target} = reader.ReadEnumIndex({writer.Symbols.Count}) switch");
        w.Open();
        for (int i = 0; i < writer.Symbols.Count; i++)
        {
            string symbol = writer.Symbols[i];
            string? mapped = reader.IndexOf(symbol) >= 0 ? symbol : reader.DefaultSymbol;
            string value = mapped is null
                ? $"throw reader.Fail({start}, {TemplateFunctions.Literal($"enum symbol '{symbol}' is not a symbol of the reader's {reader.FullName} and it has no default")})"
                : $"{csType}.{TemplateFunctions.Identifier(mapped)}";
            w.Line($"{(i + 1 < writer.Symbols.Count ? i.ToString(CultureInfo.InvariantCulture) : "_")} => {value},");
        }

        w.Close("};");
        w.Close();
    }

    private void ReadArray(CodeWriter w, AvroArraySchema writer, AvroArraySchema reader, AvroTypeSpec type, string target, Context context, int depth, string path)
    {
        AvroTypeSpec item = type.Item!;
        string n = "n" + depth, v = "item" + depth, minSize = MinSize(writer.Items).ToString(CultureInfo.InvariantCulture);
        string invariant = "global::System.Globalization.CultureInfo.InvariantCulture";
        w.Open();
        if (type.Kind == AvroTypeKind.List)
        {
            string l = "l" + depth;
            w.Line($"int {n} = reader.ReadBlockCount({minSize}, 0);");
            w.Line($"var {l} = new global::System.Collections.Generic.List<{item.CsType}>({n});");
            w.Line($"while ({n} != 0)");
            w.Open();
            w.Line($"{l}.EnsureCapacity({l}.Count + {n});");
            w.Line($"for (int k{depth} = 0; k{depth} < {n}; k{depth}++)");
            w.Open();
            w.Line($"{item.CsType} {v};");
            Read(w, writer.Items, reader.Items, item, v, context with { Segment = Item(context.Segment, $"{l}.Count.ToString({invariant})") }, depth + 1, path + "[]");
            w.Line($"{l}.Add({v});");
            w.Close();
            w.Line($"{n} = reader.ReadBlockCount({minSize}, {l}.Count);");
            w.Close();
            w.Line($"{target} = {l};");
        }
        else
        {
            string a = "a" + depth, c = "c" + depth;
            w.Line($"int {n} = reader.ReadBlockCount({minSize}, 0);");
            w.Line($"{item.CsType}[] {a} = {n} == 0 ? global::System.Array.Empty<{item.CsType}>() : new {TemplateFunctions.ArrayOf(item.CsType, n)};");
            w.Line($"int {c} = 0;");
            w.Line($"while ({n} != 0)");
            w.Open();
            w.Line($"if ({a}.Length - {c} < {n})");
            w.Open();
            w.Line($"global::System.Array.Resize(ref {a}, {c} + {n});");
            w.Close();
            w.Line($"for (int end{depth} = {c} + {n}; {c} < end{depth}; {c}++)");
            w.Open();
            w.Line($"{item.CsType} {v};");
            Read(w, writer.Items, reader.Items, item, v, context with { Segment = Item(context.Segment, $"{c}.ToString({invariant})") }, depth + 1, path + "[]");
            w.Line($"{a}[{c}] = {v};");
            w.Close();
            w.Line($"{n} = reader.ReadBlockCount({minSize}, {c});");
            w.Close();
            w.Line($"if ({c} != {a}.Length)");
            w.Open();
            w.Line($"global::System.Array.Resize(ref {a}, {c});");
            w.Close();
            w.Line($"{target} = {a};");
        }

        w.Close();
    }

    private void ReadMap(CodeWriter w, AvroMapSchema writer, AvroMapSchema reader, AvroTypeSpec type, string target, Context context, int depth, string path)
    {
        AvroTypeSpec item = type.Item!;
        string n = "n" + depth, m = "m" + depth, v = "item" + depth, key = "key" + depth;
        w.Open();
        w.Line($"int {n} = reader.ReadBlockCount(1, 0);");
        w.Line($"var {m} = new global::System.Collections.Generic.Dictionary<string, {item.CsType}>({n});");
        w.Line($"while ({n} != 0)");
        w.Open();
        w.Line($"{m}.EnsureCapacity({m}.Count + {n});");
        w.Line($"for (int k{depth} = 0; k{depth} < {n}; k{depth}++)");
        w.Open();
        w.Line($"string {key} = reader.ReadString();");
        w.Line($"{item.CsType} {v};");
        Read(w, writer.Values, reader.Values, item, v, context with { Segment = Item(context.Segment, key) }, depth + 1, path + "{}");
        w.Line($"{m}[{key}] = {v};");
        w.Close();
        w.Line($"{n} = reader.ReadBlockCount(1, {m}.Count);");
        w.Close();
        w.Line($"{target} = {m};");
        w.Close();
    }

    private static string Item(string segment, string index) => $"{segment} + \"[\" + {index} + \"]\"";

    /// <summary>Skips a value of a writer-only field, validating it as the run-time skipper does.</summary>
    private void Skip(CodeWriter w, AvroSchema writer, int depth)
    {
        switch (writer)
        {
            case AvroPrimitiveSchema { Kind: AvroSchemaKind.Null }:
                break;
            case AvroPrimitiveSchema { Kind: AvroSchemaKind.Boolean }:
                w.Line("reader.ReadBoolean();");
                break;
            case AvroPrimitiveSchema { Kind: AvroSchemaKind.Int }:
                w.Line("reader.ReadInt();");
                break;
            case AvroPrimitiveSchema { Kind: AvroSchemaKind.Long }:
                w.Line("reader.ReadLong();");
                break;
            case AvroPrimitiveSchema { Kind: AvroSchemaKind.Float }:
                w.Line("reader.ReadFixedSpan(4);");
                break;
            case AvroPrimitiveSchema { Kind: AvroSchemaKind.Double }:
                w.Line("reader.ReadFixedSpan(8);");
                break;
            case AvroPrimitiveSchema:
                w.Line("reader.ReadBytesSpan();");
                break;
            case AvroFixedSchema f:
                w.Line($"reader.ReadFixedSpan({f.Size.ToString(CultureInfo.InvariantCulture)});");
                break;
            case AvroEnumSchema e:
                w.Line($"reader.ReadEnumIndex({e.Symbols.Count.ToString(CultureInfo.InvariantCulture)});");
                break;
            case AvroUnionSchema u:
                w.Line($"switch (reader.ReadUnionIndex({u.Branches.Count.ToString(CultureInfo.InvariantCulture)}))");
                w.Open();
                for (int b = 0; b < u.Branches.Count; b++)
                {
                    w.Line($"case {b}:");
                    w.Indent();
                    Skip(w, u.Branches[b], depth + 1);
                    w.Line("break;");
                    w.Outdent();
                }

                w.Close();
                break;
            case AvroArraySchema a:
                SkipBlocks(w, a.Items, isMap: false, depth);
                break;
            case AvroMapSchema m:
                SkipBlocks(w, m.Values, isMap: true, depth);
                break;
            case AvroRecordSchema r:
                w.Line($"{SkipMethod(r)}(ref reader);");
                break;
        }
    }

    private void SkipBlocks(CodeWriter w, AvroSchema item, bool isMap, int depth)
    {
        string total = "s" + depth, n = "sn" + depth;
        w.Open();
        w.Line($"int {total} = 0;");
        w.Line($"int {n};");
        w.Line($"while (({n} = reader.ReadBlockCount({(isMap ? 1 : MinSize(item)).ToString(CultureInfo.InvariantCulture)}, {total})) != 0)");
        w.Open();
        w.Line($"{total} += {n};");
        w.Line($"for (int sk{depth} = 0; sk{depth} < {n}; sk{depth}++)");
        w.Open();
        if (isMap)
        {
            w.Line("reader.ReadBytesSpan();");
        }

        Skip(w, item, depth + 1);
        w.Close();
        w.Close();
        w.Close();
    }

    private string SkipMethod(AvroRecordSchema record)
    {
        if (_skipMethods.TryGetValue(record, out string? existing))
        {
            return existing;
        }

        string name = NextName($"SkipAvroV{_version}_{record.Name}_");
        _skipMethods[record] = name;
        var w = new CodeWriter();
        w.Line($"/// <summary>Skips a {TemplateFunctions.Xml(record.FullName)} of recorded version {_version} (a writer-only field's value).</summary>");
        w.Line($"private static void {name}(ref {Reader} reader)");
        w.Open();
        w.Line("reader.EnterRecord();");
        foreach (AvroField field in record.Fields)
        {
            Skip(w, field.Schema, 0);
        }

        w.Line("reader.ExitRecord();");
        w.Close();
        _methods.Add(w.ToString());
        return name;
    }

    /// <summary>Smallest encoded size of a writer value (as AvroResolver.MinSize): bounds block counts.</summary>
    private static int MinSize(AvroSchema schema) => MinSize(schema, 0);

    private static int MinSize(AvroSchema schema, int depth) => schema switch
    {
        AvroPrimitiveSchema { Kind: AvroSchemaKind.Null } => 0,
        AvroFixedSchema f => Math.Min(f.Size, 1),
        AvroRecordSchema r => depth > 64 ? 0 : r.Fields.Any(f => MinSize(f.Schema, depth + 1) > 0) ? 1 : 0,
        _ => 1,
    };
}

/// <summary>
/// The generator does not write a decoder for this recorded schema; the message says why. Unless <see cref="Refused"/>
/// (the schema cannot be resolved at all), the run-time plan reads its data.
/// </summary>
internal sealed class NotGeneratedException(string message, bool refused = false) : Exception(message)
{
    public bool Refused { get; } = refused;
}

/// <summary>A writer type the reader cannot read (per the spec); inside a writer union it fails only when data uses the branch.</summary>
internal sealed class UnresolvableException(string message) : Exception(message);
