using System.Text.Json.Nodes;

namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// Derives a writer schema from a reader schema by zero to four random evolution steps, some that resolution allows and
/// some that it does not: writer-only fields of any type (nested records, enums, fixed, arrays, maps, unions, logical
/// types, references to existing types), fields dropped with and without a reader default, reordered fields, the
/// spec's promotions (int to long/float/double, long to float/double, float to double, string to bytes and bytes to
/// string), unrelated type changes, enum symbol subsets, reorders and extra symbols, unions widened and narrowed,
/// renamed fields (with writer aliases, which the spec ignores), and named types renamed or moved to another namespace.
/// <para>
/// Where Apache.Avro 1.12.2's C# reader departs from the spec (<c>ApacheAvroDeviationTests</c> pins each), Apache gets
/// schemas with the step neutralized without changing a byte of the encoding: string/bytes promotions keep the
/// original type in <see cref="EvolvedSchema.ApacheWriterJson"/> (its <c>PrimitiveSchema.CanRead</c> has no string/bytes
/// case, though the spec says "string is promotable to bytes" and "bytes is promotable to string"), a namespace change
/// keeps the original namespace there (its <c>RecordSchema</c>/<c>EnumSchema.CanRead</c> compare full names, though the
/// spec matches "records with the same (unqualified) name"), and a writer union against a record, enum, array, map or
/// logical-type reader field gets a one-branch union around the reader's type (<see cref="EvolvedSchema.ApacheReaderJson"/>;
/// Apache refuses any union writer for those when the reader is built, though the spec resolves "the selected writer's
/// schema" per datum). Plain types changed into a logical type's underlying type, and string or bytes where the reader
/// has the other, are not generated, also after earlier steps changed the position (Apache refuses them, Kappa resolves
/// the underlying types and promotes).
/// /// </para>
/// </summary>
internal sealed class WriterSchemaEvolution
{
    private static readonly HashSet<string> Primitives = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"];
    private static readonly string[] SimpleBranches = ["null", "boolean", "int", "long", "double", "string", "bytes"];

    private readonly Choices _choices;
    private readonly Dictionary<string, JsonObject> _definitions = new(StringComparer.Ordinal);
    private readonly List<string> _steps = [];
    private readonly List<(string Record, string Field)> _apacheReaderWraps = [];
    private readonly JsonObject _root;
    private readonly Dictionary<(string Record, string Field), HashSet<string>> _readerForbidden = [];
    private readonly Dictionary<(string Record, string Field), JsonNode> _readerTypes = [];
    private readonly HashSet<string> _unionBranchRecords = new(StringComparer.Ordinal);
    private int _names;

    private WriterSchemaEvolution(string readerJson, Choices choices)
    {
        _choices = choices;
        _root = (JsonObject)Normalize(JsonNode.Parse(readerJson)!, string.Empty);
        foreach (JsonObject definition in _definitions.Values.Where(d => (string)d["type"]! is "record" or "error"))
        {
            foreach (JsonNode? f in definition["fields"]!.AsArray())
            {
                _readerForbidden[(FullName(definition), (string)f!["name"]!)] = ReaderForbidden(f["type"]!);
                _readerTypes[(FullName(definition), (string)f["name"]!)] = f["type"]!.DeepClone();
                CollectUnionBranches(f["type"]);
            }
        }

        // Records that are branches of a reader union ([AvroUnion] types) keep their fields without defaults: Apache.Avro
        // 1.12.2 refuses (or fails on) a writer branch the reader cannot read even where the spec fails only data that
        // uses it, as Kappa does.
        void CollectUnionBranches(JsonNode? node)
        {
            switch (node)
            {
                case JsonArray union:
                    foreach (JsonNode? branch in union)
                    {
                        if (branch is JsonValue v && v.TryGetValue(out string? name) && !Primitives.Contains(name))
                        {
                            _unionBranchRecords.Add(name);
                        }
                        else if (branch is JsonObject o && IsNamed(o))
                        {
                            _unionBranchRecords.Add(FullName(o));
                        }

                        CollectUnionBranches(branch);
                    }

                    break;
                case JsonObject o when !IsNamed(o):
                    CollectUnionBranches(o["items"]);
                    CollectUnionBranches(o["values"]);
                    break;
            }
        }
    }

    private delegate void Setter(JsonNode node);

    /// <summary>A type position; <paramref name="Record"/> and <paramref name="Field"/> are set when it is a field's own type.</summary>
    /// <remarks>
    /// <paramref name="Siblings"/>: names of the other branches when the position is a union branch.
    /// <paramref name="ReaderField"/>: the reader's record and field the position lies in (null in writer-only records);
    /// <paramref name="ReaderNode"/>: the reader's type at the position when known (field types, array items, map values).
    /// </remarks>
    private sealed record Slot(JsonNode Node, Setter Set, string Where, JsonObject? Record = null, string? Field = null, string[]? Siblings = null, (string Record, string Field)? ReaderField = null, JsonNode? ReaderNode = null)
    {
        public bool InUnion => Siblings is not null;
    }

    public static EvolvedSchema Evolve(string readerJson, uint[] entropy)
    {
        var evolution = new WriterSchemaEvolution(readerJson, new Choices(entropy));
        int steps = evolution._choices.Next(5);
        for (int i = 0; i < steps; i++)
        {
            evolution.Step();
        }

        JsonNode writer = evolution.Canonical();
        return new EvolvedSchema(
            writer.ToJsonString(),
            WriterProjections.ForApache(writer).ToJsonString(),
            WriterProjections.ForData(writer).ToJsonString(),
            evolution._steps,
            evolution.SkipsRecursiveType(),
            evolution._apacheReaderWraps);
    }

    private static bool IsNamed(JsonObject o) => o["type"] is JsonValue v && v.TryGetValue(out string? t) && t is "record" or "error" or "enum" or "fixed";

    internal static string? TypeName(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    internal static string FullName(JsonObject definition)
    {
        string name = (string)definition["name"]!;
        string? ns = (string?)definition["namespace"];
        return string.IsNullOrEmpty(ns) ? name : ns + "." + name;
    }

    // Makes every named definition carry its namespace explicitly and every reference a full name, so steps can move
    // fields around; Canonical() puts each definition back at its first use.
    private JsonNode Normalize(JsonNode node, string enclosing)
    {
        switch (node)
        {
            case JsonValue value:
            {
                string s = (string)value!;
                return JsonValue.Create(Primitives.Contains(s) || s.Contains('.', StringComparison.Ordinal) || enclosing.Length == 0 ? s : enclosing + "." + s);
            }

            case JsonArray union:
                return new JsonArray([.. union.Select(b => Normalize(b!, enclosing))]);
            default:
            {
                var o = (JsonObject)node;
                var copy = new JsonObject();
                if (o["type"] is not JsonValue)
                {
                    foreach (KeyValuePair<string, JsonNode?> p in o)
                    {
                        copy[p.Key] = p.Key == "type" ? Normalize(p.Value!, enclosing) : p.Value?.DeepClone();
                    }

                    return copy;
                }

                string type = (string)o["type"]!;
                string ns = enclosing;
                if (IsNamed(o))
                {
                    string name = (string)o["name"]!;
                    ns = (string?)o["namespace"] ?? enclosing;
                    int dot = name.LastIndexOf('.');
                    if (dot >= 0)
                    {
                        ns = name[..dot];
                        name = name[(dot + 1)..];
                    }

                    foreach (KeyValuePair<string, JsonNode?> p in o)
                    {
                        copy[p.Key] = p.Value?.DeepClone();
                    }

                    copy["name"] = name;
                    copy["namespace"] = ns;
                    copy["x-reader-name"] = FullName(copy);
                    _definitions[FullName(copy)] = copy;
                    if (type is "record" or "error")
                    {
                        var fields = new JsonArray();
                        foreach (JsonNode? f in o["fields"]!.AsArray())
                        {
                            var field = (JsonObject)f!.DeepClone();
                            field["type"] = Normalize(f["type"]!, ns);
                            fields.Add(field);
                        }

                        copy["fields"] = fields;
                    }

                    return copy;
                }

                foreach (KeyValuePair<string, JsonNode?> p in o)
                {
                    copy[p.Key] = p.Key is "items" or "values" ? Normalize(p.Value!, ns) : p.Value?.DeepClone();
                }

                return copy;
            }
        }
    }

    /// <summary>The tree with every definition at its first use (document order) and full-name references afterwards.</summary>
    private JsonNode Canonical()
    {
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        return Fix(_root);

        JsonNode Fix(JsonNode node)
        {
            switch (node)
            {
                case JsonValue value:
                {
                    string s = (string)value!;
                    return !Primitives.Contains(s) && !emitted.Contains(s) && _definitions.TryGetValue(s, out JsonObject? definition)
                        ? FixDefinition(definition)
                        : JsonValue.Create(s);
                }

                case JsonArray union:
                    return new JsonArray([.. union.Select(b => Fix(b!))]);
                default:
                {
                    var o = (JsonObject)node;
                    if (IsNamed(o))
                    {
                        string full = FullName(o);
                        return emitted.Contains(full) ? JsonValue.Create(full) : FixDefinition(o);
                    }

                    var copy = new JsonObject();
                    foreach (KeyValuePair<string, JsonNode?> p in o)
                    {
                        copy[p.Key] = p.Key is "items" or "values" || (p.Key == "type" && p.Value is not JsonValue) ? Fix(p.Value!) : p.Value?.DeepClone();
                    }

                    return copy;
                }
            }
        }

        JsonObject FixDefinition(JsonObject definition)
        {
            emitted.Add(FullName(definition));
            var copy = new JsonObject();
            foreach (KeyValuePair<string, JsonNode?> p in definition)
            {
                if (p.Key == "fields")
                {
                    var fields = new JsonArray();
                    foreach (JsonNode? f in p.Value!.AsArray())
                    {
                        var field = new JsonObject();
                        foreach (KeyValuePair<string, JsonNode?> fp in f!.AsObject())
                        {
                            field[fp.Key] = fp.Key == "type" ? Fix(fp.Value!) : fp.Value?.DeepClone();
                        }

                        fields.Add(field);
                    }

                    copy["fields"] = fields;
                }
                else
                {
                    copy[p.Key] = p.Value?.DeepClone();
                }
            }

            return copy;
        }
    }

    // ----- what the steps work on -----

    /// <summary>Definitions reachable from the root (a step on an unreachable one would change nothing).</summary>
    private List<JsonObject> Reachable()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<JsonObject>();
        Visit(_root);
        return result;

        void Visit(JsonNode? node)
        {
            switch (node)
            {
                case JsonValue value when value.TryGetValue(out string? s):
                    if (!Primitives.Contains(s) && _definitions.TryGetValue(s, out JsonObject? definition))
                    {
                        Visit(definition);
                    }

                    break;
                case JsonArray array:
                    foreach (JsonNode? item in array)
                    {
                        Visit(item);
                    }

                    break;
                case JsonObject o when IsNamed(o):
                    if (seen.Add(FullName(o)))
                    {
                        result.Add(o);
                        foreach (JsonNode? f in o["fields"]?.AsArray() ?? [])
                        {
                            Visit(f!["type"]);
                        }
                    }

                    break;
                case JsonObject o:
                    Visit(o["items"]);
                    Visit(o["values"]);
                    if (o["type"] is not JsonValue)
                    {
                        Visit(o["type"]);
                    }

                    break;
            }
        }
    }

    /// <summary>Full names of the definitions reachable from <paramref name="start"/> (through references too).</summary>
    private HashSet<string> NamesReachableFrom(JsonNode start)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Visit(start);
        return names;

        void Visit(JsonNode? node)
        {
            switch (node)
            {
                case JsonValue value when value.TryGetValue(out string? s):
                    if (!Primitives.Contains(s) && _definitions.TryGetValue(s, out JsonObject? definition))
                    {
                        Visit(definition);
                    }

                    break;
                case JsonArray array:
                    foreach (JsonNode? item in array)
                    {
                        Visit(item);
                    }

                    break;
                case JsonObject o when IsNamed(o):
                    if (names.Add(FullName(o)))
                    {
                        foreach (JsonNode? f in o["fields"]?.AsArray() ?? [])
                        {
                            Visit(f!["type"]);
                        }
                    }

                    break;
                case JsonObject o:
                    Visit(o["items"]);
                    Visit(o["values"]);
                    if (o["type"] is not JsonValue)
                    {
                        Visit(o["type"]);
                    }

                    break;
            }
        }
    }

    private bool SkipsRecursiveType()
    {
        List<JsonObject> records = Records();
        var recursive = records
            .Where(r => r["fields"]!.AsArray().Any(f => NamesReachableFrom(f!["type"]!).Contains(FullName(r))))
            .Select(FullName)
            .ToHashSet(StringComparer.Ordinal);
        return recursive.Count > 0 && records.Any(r => r["fields"]!.AsArray().Any(f =>
            ((string)f!["name"]!).StartsWith("Extra", StringComparison.Ordinal) || ((string)f["name"]!).StartsWith("Renamed", StringComparison.Ordinal)
                ? NamesReachableFrom(f["type"]!).Overlaps(recursive)
                : false));
    }

    private List<JsonObject> Records() => [.. Reachable().Where(d => (string)d["type"]! is "record" or "error")];

    /// <summary>Every type position inside reachable records: field types, union branches, array items, map values.</summary>
    private List<Slot> Slots()
    {
        var slots = new List<Slot>();
        foreach (JsonObject record in Records())
        {
            foreach (JsonNode? f in record["fields"]!.AsArray())
            {
                var field = (JsonObject)f!;
                (string, string)? readerField = record["x-reader-name"] is JsonNode readerName ? ((string)readerName!, (string)field["name"]!) : null;
                JsonNode? readerNode = readerField is { } key ? _readerTypes.GetValueOrDefault(key) : null;
                Add(field["type"]!, n => field["type"] = n, $"{record["name"]}.{field["name"]}", readerField, readerNode, record, (string)field["name"]!);
            }
        }

        return slots;

        void Add(JsonNode node, Setter set, string where, (string, string)? readerField, JsonNode? readerNode, JsonObject? record = null, string? fieldName = null, string[]? siblings = null)
        {
            slots.Add(new Slot(node, set, where, record, fieldName, siblings, readerField, readerNode));
            switch (node)
            {
                case JsonArray union:
                    for (int i = 0; i < union.Count; i++)
                    {
                        int index = i;
                        string[] others = [.. union.Where((_, j) => j != index).SelectMany(b => BranchNames(b!))];
                        Add(union[i]!, n => union[index] = n, $"{where}|{i}", readerField, null, siblings: others);
                    }

                    break;
                case JsonObject o when !IsNamed(o) && o["items"] is JsonNode items:
                    Add(items, n => o["items"] = n, where + "[]", readerField, (readerNode as JsonObject)?["items"]);
                    break;
                case JsonObject o when !IsNamed(o) && o["values"] is JsonNode values:
                    Add(values, n => o["values"] = n, where + "{}", readerField, (readerNode as JsonObject)?["values"]);
                    break;
            }
        }
    }

    private string NewName(string prefix) => prefix + _names++;

    private void Step()
    {
        int pick = _choices.Next(100);
        string? done = pick switch
        {
            < 18 => AddField(),
            < 28 => DropField(withDefault: true),
            < 36 => Reorder(),
            < 50 => Promote(),
            < 56 => EnumSubset(),
            < 61 => EnumExtra(),
            < 70 => WidenUnion(),
            < 78 => NarrowUnion(),
            < 83 => ChangeNamespace(),
            < 88 => DropField(withDefault: false),
            < 93 => ChangeType(),
            < 97 => RenameField(),
            _ => RenameType(),
        };
        if (done is not null)
        {
            _steps.Add(done);
        }
    }

    private string AddField()
    {
        JsonObject record = _choices.Pick(Records());
        JsonArray fields = record["fields"]!.AsArray();
        JsonNode type = RandomType(0);
        string name = NewName("Extra");
        var field = new JsonObject { ["name"] = name, ["type"] = type };
        if (_choices.Next(3) == 1 && WriterDefault(type) is JsonNode defaultValue)
        {
            field["default"] = defaultValue;
        }

        fields.Insert(_choices.Next(fields.Count + 1), field);
        return $"add {record["name"]}.{name}: {type.ToJsonString()}";
    }

    /// <summary>A valid default for simple writer-only types, or null.</summary>
    private static JsonNode? WriterDefault(JsonNode type) => TypeName(type) switch
    {
        "boolean" => JsonValue.Create(true),
        "int" or "long" => JsonValue.Create(-7),
        "float" or "double" => JsonValue.Create(1.5),
        "string" or "bytes" => JsonValue.Create("d\u00e9f"),
        _ => type is JsonObject o && TypeName(o["type"]) is "array" ? new JsonArray()
            : type is JsonObject m && TypeName(m["type"]) is "map" ? new JsonObject()
            : null,
    };

    private string? DropField(bool withDefault)
    {
        List<JsonObject> records = [.. Records().Where(r => withDefault || !_unionBranchRecords.Contains((string?)r["x-reader-name"] ?? string.Empty))];
        if (records.Count == 0)
        {
            return null;
        }

        JsonObject record = _choices.Pick(records);
        JsonArray fields = record["fields"]!.AsArray();
        var candidates = fields.Where(f => f!.AsObject().ContainsKey("default") == withDefault).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        JsonNode field = _choices.Pick(candidates)!;
        fields.Remove(field);
        return $"drop {record["name"]}.{field["name"]} ({(withDefault ? "reader default" : "no reader default")})";
    }

    private string? Reorder()
    {
        JsonObject record = _choices.Pick(Records());
        JsonArray fields = record["fields"]!.AsArray();
        if (fields.Count < 2)
        {
            return null;
        }

        var items = fields.ToList();
        fields.Clear();
        _choices.Shuffle(items);
        foreach (JsonNode? item in items)
        {
            fields.Add(item);
        }

        return $"reorder {record["name"]}: {string.Join(",", items.Select(i => (string)i!["name"]!))}";
    }

    private string? Promote()
    {
        var candidates = Slots().Where(s => TypeName(s.Node) is "long" or "float" or "double"
            || (TypeName(s.Node) is "string" or "bytes" && !(s.Siblings ?? []).Any(n => n is "string" or "bytes"))).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        Slot slot = _choices.Pick(candidates);
        string from = TypeName(slot.Node)!;
        HashSet<string> forbidden = Forbidden(slot);
        string[] numeric = [.. (from switch { "long" => new[] { "int" }, "float" => ["int", "long"], "double" => ["int", "long", "float"], _ => [] }).Where(t => !forbidden.Contains(t))];
        if (from is "long" or "float" or "double" && numeric.Length == 0)
        {
            return null; // each promotion source would resolve into a reader logical type by its underlying type only
        }

        JsonNode to = from switch
        {
            "long" or "float" or "double" => _choices.Pick(numeric),
            "string" => new JsonObject { ["type"] = "bytes", ["x-apache-type"] = "string" },
            _ => new JsonObject { ["type"] = "string", ["x-apache-type"] = "bytes" },
        };
        slot.Set(to);
        return $"promote {slot.Where}: writer {(to is JsonObject ? to["type"] : to)} to reader {from}";
    }

    private List<JsonObject> Enums() => [.. Reachable().Where(d => (string)d["type"]! == "enum")];

    private string? EnumSubset()
    {
        List<JsonObject> enums = Enums();
        if (enums.Count == 0)
        {
            return null;
        }

        JsonObject e = _choices.Pick(enums);
        var symbols = e["symbols"]!.AsArray().Select(s => (string)s!).ToList();
        _choices.Shuffle(symbols);
        symbols = symbols.Take(1 + _choices.Next(symbols.Count)).ToList();
        e["symbols"] = new JsonArray([.. symbols.Select(s => JsonValue.Create(s))]);
        return $"enum {e["name"]} symbols [{string.Join(",", symbols)}]";
    }

    private string? EnumExtra()
    {
        List<JsonObject> enums = Enums();
        if (enums.Count == 0)
        {
            return null;
        }

        JsonObject e = _choices.Pick(enums);
        JsonArray symbols = e["symbols"]!.AsArray();
        string extra = NewName("Extra");
        symbols.Insert(_choices.Next(symbols.Count + 1), extra);
        return $"enum {e["name"]} gains writer-only symbol {extra}";
    }

    /// <summary>
    /// Plain types that match a logical type in <paramref name="node"/> (or in its union branches) by the underlying type:
    /// the type itself and what promotes to it. Apache.Avro 1.12.2 refuses those against a logical-type reader (its
    /// <c>LogicalSchema.CanRead</c> wants a logical writer) where Kappa, like the spec's type rules, resolves the
    /// underlying types (<c>ApacheAvroDeviationTests</c>); the evolution does not produce them.
    /// </summary>
    private static HashSet<string> IntoLogical(JsonNode node)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonNode? branch in node is JsonArray union ? union : new JsonArray(node.DeepClone()))
        {
            if (branch is JsonObject o && o["logicalType"] is not null && TypeName(o["type"]) is string underlying)
            {
                result.Add(underlying);
                result.UnionWith(underlying switch
                {
                    "long" => ["int"],
                    "float" => ["int", "long"],
                    "double" => ["int", "long", "float"],
                    "string" => ["bytes"],
                    "bytes" => ["string"],
                    _ => [],
                });
            }
        }

        return result;
    }

    /// <summary>
    /// Plain types the evolution must not put anywhere in a reader field's position, whatever the writer has there after
    /// earlier steps (a field changed to bytes and then to int is read by the reader's timestamp): what resolves into a
    /// logical type only by its underlying type, and the string/bytes partner of a reader string or bytes, which Apache
    /// refuses (<c>ApacheAvroDeviationTests</c>; promotions between them are generated with the original type kept for Apache).
    /// </summary>
    private static HashSet<string> ReaderForbidden(JsonNode readerType)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        Visit(readerType);
        return result;

        void Visit(JsonNode? node)
        {
            switch (node)
            {
                case JsonArray union:
                    foreach (JsonNode? branch in union)
                    {
                        Visit(branch);
                    }

                    break;
                case JsonValue value when value.TryGetValue(out string? name):
                    Partner(name);
                    break;
                case JsonObject o when IsNamed(o):
                    break; // a named type's own fields are positions of their own
                case JsonObject o:
                    result.UnionWith(IntoLogical(o));
                    if (TypeName(o["type"]) is string underlying)
                    {
                        Partner(underlying);
                    }
                    else
                    {
                        Visit(o["type"]);
                    }

                    Visit(o["items"]);
                    Visit(o["values"]);
                    break;
            }
        }

        void Partner(string name)
        {
            if (name == "string")
            {
                result.Add("bytes");
            }
            else if (name == "bytes")
            {
                result.Add("string");
            }
        }
    }

    private HashSet<string> Forbidden(Slot slot) =>
        slot.ReaderField is { } key && _readerForbidden.TryGetValue(key, out HashSet<string>? forbidden) ? forbidden : [];

    /// <summary>Names a union branch goes by, for Kappa and for Apache (both must stay unique within a union).</summary>
    private static IEnumerable<string> BranchNames(JsonNode branch) => branch switch
    {
        JsonValue v => [(string)v!],
        JsonObject o when IsNamed(o) => [FullName(o)],
        JsonObject o when o["x-apache-type"] is JsonNode apache => [(string)o["type"]!, (string)apache!],
        JsonObject o => [(string)o["type"]!],
        _ => [],
    };

    private string? WidenUnion()
    {
        // Array items and map values whose reader type is complex (a named type, array, map or logical type) are left
        // alone: Apache refuses a writer union there, and only field types get the one-branch reader union.
        var candidates = Slots().Where(s => !s.InUnion && (s.Node is JsonArray || (TypeName(s.Node) is string t && Primitives.Contains(t)) || ComplexReaderField(s) is not null)
            && !(s.Field is null && s.ReaderNode is JsonNode r && r is not JsonArray && !(TypeName(r) is string rt && Primitives.Contains(rt)))).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        Slot slot = _choices.Pick(candidates);
        if (ComplexReaderField(slot) is (string, string) wrap)
        {
            _apacheReaderWraps.Add(wrap);
            var branches = new JsonArray();
            branches.Add(JsonValue.Create("null"));
            JsonNode complex = slot.Node;
            slot.Set(branches); // detaches the field's type, which moves into the union (definitions keep their identity)
            branches.Insert(_choices.Next(2), complex);
            return $"wrap {slot.Where} ({(complex is JsonObject c ? c["type"] : complex)}) in a writer union with null";
        }

        var used = new HashSet<string>(slot.Node is JsonArray u ? u.SelectMany(b => BranchNames(b!)) : BranchNames(slot.Node), StringComparer.Ordinal);

        // string and bytes promote into each other, which Apache refuses: never put the partner next to either.
        if (used.Contains("string") || used.Contains("bytes"))
        {
            used.UnionWith(["string", "bytes"]);
        }

        HashSet<string> intoLogical = IntoLogical(slot.Node);
        intoLogical.UnionWith(Forbidden(slot));
        var options = SimpleBranches.Where(b => !used.Contains(b) && !intoLogical.Contains(b)).Select(b => (JsonNode)JsonValue.Create(b)).ToList();
        options.Add(NewEnum());
        JsonNode added = _choices.Pick(options);
        RegisterIfNamed(added);
        if (slot.Node is JsonArray union)
        {
            union.Insert(_choices.Next(union.Count + 1), added);
            return $"widen union {slot.Where} with {added.ToJsonString()}";
        }

        string existing = TypeName(slot.Node)!;
        slot.Set(_choices.Next(2) == 0 ? new JsonArray(added, existing) : new JsonArray(existing, added));
        return $"wrap {slot.Where} ({existing}) in a writer union with {added.ToJsonString()}";
    }

    /// <summary>
    /// A field of a record that the reader has (x-reader-name) whose reader type is not a primitive and not a union (a
    /// named type, array, map or logical type), whatever earlier steps made of the writer's type there: Apache's reader
    /// for it gets a one-branch union (see <see cref="EvolvedSchema.ApacheReaderJson"/>).
    /// </summary>
    private (string, string)? ComplexReaderField(Slot slot)
    {
        if (slot.Record?["x-reader-name"] is not JsonNode readerName || slot.Field is null || slot.Node is JsonArray
            || slot.Field.StartsWith("Extra", StringComparison.Ordinal) || slot.Field.StartsWith("Renamed", StringComparison.Ordinal)
            || (slot.Node is JsonObject o && o["x-apache-type"] is not null))
        {
            return null;
        }

        (string, string) key = ((string)readerName!, slot.Field);
        JsonNode readerType = _readerTypes.TryGetValue(key, out JsonNode? original) ? original : slot.Node;
        return readerType is JsonArray || (TypeName(readerType) is string t && Primitives.Contains(t)) ? null : key;
    }

    private string? NarrowUnion()
    {
        var candidates = Slots().Where(s => s.Node is JsonArray { Count: >= 2 }).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        Slot slot = _choices.Pick(candidates);
        var union = (JsonArray)slot.Node;
        switch (_choices.Next(3))
        {
            case 0:
            {
                int keep = _choices.Next(union.Count);
                JsonNode branch = union[keep]!;
                union.RemoveAt(keep);
                slot.Set(branch);
                return $"narrow union {slot.Where} to its branch {keep} (not a union)";
            }

            case 1:
            {
                var branches = union.ToList();
                union.Clear();
                branches.Reverse();
                foreach (JsonNode? b in branches)
                {
                    union.Add(b);
                }

                return $"reverse union {slot.Where}";
            }

            default:
            {
                int drop = _choices.Next(union.Count);
                union.RemoveAt(drop);
                return $"drop branch {drop} of union {slot.Where}";
            }
        }
    }

    private string? ChangeType()
    {
        var candidates = Slots().Where(s => s.Node is not JsonObject o || !IsNamed(o)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        Slot slot = _choices.Pick(candidates);
        var names = new HashSet<string>(slot.Node is JsonArray u ? u.SelectMany(b => BranchNames(b!)) : BranchNames(slot.Node), StringComparer.Ordinal);
        names.UnionWith(slot.Siblings ?? []);
        HashSet<string> intoLogical = IntoLogical(slot.Node);
        intoLogical.UnionWith(Forbidden(slot));
        var options = new List<JsonNode> { "boolean", "int", "double", new JsonObject { ["type"] = "array", ["items"] = "long" }, new JsonObject { ["type"] = "map", ["values"] = "string" }, NewEnum() };
        if (!names.Contains("string") && !names.Contains("bytes"))
        {
            options.Add("string");
            options.Add("bytes");
        }

        options.RemoveAll(o => TypeName(o) is string t && intoLogical.Contains(t));
        JsonNode to = _choices.Pick(options);
        RegisterIfNamed(to);
        slot.Set(to);
        return $"change {slot.Where} to {to.ToJsonString()}";
    }

    private string RenameField()
    {
        List<JsonObject> records = [.. Records().Where(r => !_unionBranchRecords.Contains((string?)r["x-reader-name"] ?? string.Empty))];
        if (records.Count == 0)
        {
            return AddField();
        }

        JsonObject record = _choices.Pick(records);
        JsonArray fields = record["fields"]!.AsArray();
        if (fields.Count == 0)
        {
            return AddField();
        }

        var field = (JsonObject)_choices.Pick(fields.ToList())!;
        string old = (string)field["name"]!;
        field["name"] = NewName("Renamed");
        field["aliases"] = new JsonArray(old);
        return $"rename {record["name"]}.{old} to {field["name"]} (writer alias {old})";
    }

    private string ChangeNamespace()
    {
        JsonObject definition = _choices.Pick(Reachable());
        string old = FullName(definition);
        if (definition["x-apache-namespace"] is null)
        {
            definition["x-apache-namespace"] = (string?)definition["namespace"] ?? string.Empty;
        }

        definition["namespace"] = "kappa.moved";
        RenameReferences(old, FullName(definition), definition);
        return $"move {old} to namespace kappa.moved";
    }

    private string RenameType()
    {
        JsonObject definition = _choices.Pick(Reachable());
        string old = FullName(definition);
        definition["name"] = (string)definition["name"]! + "Renamed";
        RenameReferences(old, FullName(definition), definition);
        return $"rename type {old} to {FullName(definition)}";
    }

    private void RenameReferences(string from, string to, JsonObject definition)
    {
        _definitions.Remove(from);
        _definitions[to] = definition;
        foreach (JsonObject d in _definitions.Values.ToList())
        {
            foreach (JsonNode? f in d["fields"]?.AsArray() ?? [])
            {
                var field = (JsonObject)f!;
                JsonNode type = field["type"]!;
                JsonNode replaced = Replace(type);
                if (!ReferenceEquals(type, replaced))
                {
                    field["type"] = replaced;
                }
            }
        }

        JsonNode Replace(JsonNode node)
        {
            switch (node)
            {
                case JsonValue v when (string)v! == from:
                    return JsonValue.Create(to);
                case JsonArray union:
                    for (int i = 0; i < union.Count; i++)
                    {
                        JsonNode branch = union[i]!;
                        JsonNode replaced = Replace(branch);
                        if (!ReferenceEquals(branch, replaced))
                        {
                            union[i] = replaced;
                        }
                    }

                    return union;
                case JsonObject o when !IsNamed(o):
                    foreach (string key in new[] { "items", "values" })
                    {
                        if (o[key] is JsonNode inner)
                        {
                            JsonNode replaced = Replace(inner);
                            if (!ReferenceEquals(inner, replaced))
                            {
                                o[key] = replaced;
                            }
                        }
                    }

                    return o;
                default:
                    return node;
            }
        }
    }

    // ----- random writer-only types -----

    private JsonObject NewEnum()
    {
        string[] all = ["A", "B", "C"];
        return new JsonObject
        {
            ["type"] = "enum",
            ["name"] = NewName("XEnum"),
            ["namespace"] = "kappa.extra",
            ["symbols"] = new JsonArray([.. all.Take(1 + _choices.Next(3)).Select(s => JsonValue.Create(s))]),
        };
    }

    private void RegisterIfNamed(JsonNode node)
    {
        if (node is JsonObject o && IsNamed(o))
        {
            _definitions[FullName(o)] = o;
        }
    }

    private JsonNode RandomType(int depth)
    {
        int pick = _choices.Next(depth >= 2 ? 9 : 16);
        JsonNode type = pick switch
        {
            < 8 => JsonValue.Create(new[] { "null", "boolean", "int", "long", "float", "double", "bytes", "string" }[pick]),
            8 => _choices.Next(4) switch
            {
                0 => new JsonObject { ["type"] = "long", ["logicalType"] = "timestamp-millis" },
                1 => new JsonObject { ["type"] = "int", ["logicalType"] = "date" },
                2 => new JsonObject { ["type"] = "string", ["logicalType"] = "uuid" },
                _ => new JsonObject { ["type"] = "bytes", ["logicalType"] = "decimal", ["precision"] = 9, ["scale"] = 3 },
            },
            9 => NewEnum(),
            10 => new JsonObject { ["type"] = "fixed", ["name"] = NewName("XFixed"), ["namespace"] = "kappa.extra", ["size"] = _choices.Next(5) },
            11 => new JsonObject { ["type"] = "array", ["items"] = RandomType(depth + 1) },
            12 => new JsonObject { ["type"] = "map", ["values"] = RandomType(depth + 1) },
            13 => RandomUnion(),
            14 => RandomRecord(depth),
            // Not a fixed with a logical type (duration, uuid): Apache.Avro 1.12.2 refuses a schema that refers to one by
            // name a second time (it compares the reference, without the logical type, with the definition).
            _ => JsonValue.Create(FullName(_choices.Pick(Reachable().Where(d => !((string)d["type"]! == "fixed" && d["logicalType"] is not null)).ToList()))),
        };
        RegisterIfNamed(type);
        return type;
    }

    private JsonArray RandomUnion()
    {
        var union = new JsonArray();
        var used = new HashSet<string>(StringComparer.Ordinal);
        int count = 1 + _choices.Next(3);
        for (int i = 0; i < count; i++)
        {
            string b = SimpleBranches[_choices.Next(SimpleBranches.Length)];
            if (used.Add(b))
            {
                union.Add(b);
            }
        }

        if (_choices.Next(3) == 0)
        {
            JsonObject e = NewEnum();
            RegisterIfNamed(e);
            union.Add(e);
        }

        return union;
    }

    private JsonObject RandomRecord(int depth)
    {
        var fields = new JsonArray();
        int count = _choices.Next(3);
        for (int i = 0; i < count; i++)
        {
            fields.Add(new JsonObject { ["name"] = "x" + i, ["type"] = RandomType(depth + 1) });
        }

        return new JsonObject { ["type"] = "record", ["name"] = NewName("XRecord"), ["namespace"] = "kappa.extra", ["fields"] = fields };
    }
}
