using System.Globalization;
using Kappa.Generators.Common;
using Kappa.Generators.Common.Templates;
using Kappa.Generators.State.Model;

namespace Kappa.Generators.State;

public sealed partial class ProcessorStateGenerator
{
    /// <summary>Model to text: the IProcessorState implementation of one state type.</summary>
    internal static class Emitter
    {
        private const string Writer = StateKnownNames.StateWriter;
        private const string Reader = StateKnownNames.StateReader;
        private const string Wire = StateKnownNames.StateWireType;
        private const string Serializer = StateKnownNames.StateSerializer;

        public const string LockHintName = "KappaStateLock.g.cs";

        /// <summary>The lock file content for every state type of the compilation, as a constant (docs/state.md).</summary>
        public static string EmitLock(string json) => CodeTemplate.StateLock.Render(json);

        public static string HintName(StateTypeSpec spec) => spec.Declaration.FullName + ".State.g.cs";

        public static string Emit(StateTypeSpec spec)
        {
            StateDeclarationSpec decl = spec.Declaration;
            string self = decl.Type.FullyQualifiedName;
            string iface = $"{StateKnownNames.ProcessorStateInterface}<{self}>";
            var w = new SourceWriter();
            w.WriteLine(SourceWriter.Header.TrimEnd('\n'));
            w.WriteLine();
            bool hasNamespace = decl.Namespace.Length > 0;
            if (hasNamespace)
            {
                w.OpenBlock("namespace " + decl.Namespace);
            }

            foreach (string containing in decl.ContainingTypes)
            {
                w.OpenBlock(containing);
            }

            w.WriteLine("/// <summary>Generated deterministic state serializer (see docs/state.md). Schema:</summary>");
            w.WriteLine("/// <remarks><code>");
            foreach (string line in spec.Schema.TrimEnd('\n').Split('\n'))
            {
                w.WriteLine("/// " + Xml(line));
            }

            w.WriteLine("/// </code></remarks>");
            w.OpenBlock($"partial {decl.Keyword} {decl.TypeName} : {iface}");

            w.WriteLine($"static int {iface}.StateSchemaVersion => {spec.SchemaVersion.ToString(CultureInfo.InvariantCulture)};");
            w.WriteLine();
            w.WriteLine($"static string {iface}.StateSchema => {Literal(spec.Schema)};");
            w.WriteLine();
            w.WriteLine($"static uint {iface}.StateSchemaFingerprint => 0x{spec.Fingerprint.ToString("X8", CultureInfo.InvariantCulture)}u;");
            w.WriteLine();
            w.WriteLine($"static {self} {iface}.CreateDefault() => new {self}();");
            w.WriteLine();

            w.OpenBlock($"static void {iface}.Write(ref {Writer} writer, in {self} value)");
            w.WriteLine($"writer.WriteHeader({spec.SchemaVersion.ToString(CultureInfo.InvariantCulture)}, 0x{spec.Fingerprint.ToString("X8", CultureInfo.InvariantCulture)}u);");
            w.WriteLine($"{Serializer}.WriteNested(ref writer, in value);");
            w.WriteLine("writer.Flush();");
            w.CloseBlock();
            w.WriteLine();

            w.OpenBlock($"static {self} {iface}.Read(ref {Reader} reader)");
            w.OpenBlock("try");
            w.WriteLine("reader.ReadHeader();");
            w.CloseBlock();
            w.OpenBlock($"catch ({StateKnownNames.StateFormatException} ex)");
            w.WriteLine($"throw ex.WithLocation({Literal(decl.FullName)}, null);");
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine($"{self} result = {Serializer}.ReadNested<{self}>(ref reader);");
            w.OpenBlock("try");
            w.WriteLine("reader.EnsureEnd();");
            w.CloseBlock();
            w.OpenBlock($"catch ({StateKnownNames.StateFormatException} ex)");
            w.WriteLine($"throw ex.WithLocation({Literal(decl.FullName)}, null);");
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine("return result;");
            w.CloseBlock();
            w.WriteLine();

            EmitWriteFields(w, spec, iface, self);
            w.WriteLine();
            EmitReadFields(w, spec, iface, self);

            w.CloseBlock();
            foreach (string _ in decl.ContainingTypes)
            {
                w.CloseBlock();
            }

            if (hasNamespace)
            {
                w.CloseBlock();
            }

            return w.ToString();
        }

        private static void EmitWriteFields(SourceWriter w, StateTypeSpec spec, string iface, string self)
        {
            w.OpenBlock($"static void {iface}.WriteFields(ref {Writer} writer, in {self} value)");
            w.WriteLine("writer.EnterNested();");
            foreach (StateFieldSpec field in spec.Fields)
            {
                string number = field.Number.ToString(CultureInfo.InvariantCulture);
                w.WriteLine($"// {number}: {field.Name} ({field.Type.Canonical})");
                StateValueSpec type = field.Type;
                if (!type.CanBeNull)
                {
                    w.WriteLine($"writer.WriteTag({number}, {Wire}.{WireType(type)});");
                    EmitWriteValue(w, type, "value." + field.Name, 0);
                    continue;
                }

                OpenBare(w);
                w.WriteLine($"{type.Type.FullyQualifiedName} f{number} = value.{field.Name};");
                string check = type.Kind == StateValueKind.Nullable ? $"f{number}.HasValue" : $"f{number} is not null";
                string payload = type.Kind == StateValueKind.Nullable ? $"f{number}.GetValueOrDefault()" : $"f{number}";
                w.OpenBlock($"if ({check})");
                w.WriteLine($"writer.WriteTag({number}, {Wire}.{WireType(type)});");
                EmitWriteValue(w, type.Payload, payload, 0);
                w.CloseBlock();
                w.OpenBlock("else");
                w.WriteLine($"writer.WriteNull({number});");
                w.CloseBlock();
                w.CloseBlock();
            }

            w.WriteLine("writer.WriteEnd();");
            w.CloseBlock();
        }

        private static void EmitReadFields(SourceWriter w, StateTypeSpec spec, string iface, string self)
        {
            w.OpenBlock($"static {self} {iface}.ReadFields(ref {Reader} reader)");
            w.WriteLine($"{self} result = new {self}();");
            foreach (StateRetiredFieldSpec r in spec.Retired)
            {
                if (r.MigrationType is { } old)
                {
                    string n = r.Number.ToString(CultureInfo.InvariantCulture);
                    w.WriteLine($"bool hasRetired{n} = false;");
                    w.WriteLine($"{old.Type.FullyQualifiedName} retired{n} = default!;");
                }
            }

            w.WriteLine("string? field = null;");
            w.OpenBlock("try");
            w.WriteLine("reader.EnterNested();");
            w.OpenBlock($"while (reader.ReadTag(out int number, out {Wire} wire))");
            w.OpenBlock("switch (number)");
            foreach (StateFieldSpec f in spec.Fields)
            {
                string n = f.Number.ToString(CultureInfo.InvariantCulture);
                w.WriteLine($"case {n}:");
                w.Indentation++;
                w.WriteLine($"field = {Literal(f.Name)};");
                EmitReadField(w, f.Type, "result." + f.Name);
                w.WriteLine("break;");
                w.Indentation--;
            }

            foreach (StateRetiredFieldSpec r in spec.Retired)
            {
                string n = r.Number.ToString(CultureInfo.InvariantCulture);
                if (r.MigrationType is not { } old)
                {
                    w.WriteLine($"// case {n}: retired field {r.Name} ({r.Canonical}) has no migration and is skipped.");
                    continue;
                }

                w.WriteLine($"case {n}:");
                w.Indentation++;
                w.WriteLine($"field = {Literal(r.Name)};");
                EmitReadField(w, old, "retired" + n);
                w.WriteLine($"hasRetired{n} = true;");
                w.WriteLine("break;");
                w.Indentation--;
            }

            w.WriteLine("default:");
            w.Indentation++;
            w.WriteLine("// A field of a newer schema version, or a retired field: skip it.");
            w.WriteLine("field = null;");
            w.WriteLine("reader.Skip(wire);");
            w.WriteLine("break;");
            w.Indentation--;
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine("field = null;");
            w.CloseBlock();
            w.CloseBlock();
            w.OpenBlock($"catch ({StateKnownNames.StateFormatException} ex) when (ex.TypeName is null)");
            w.WriteLine($"throw ex.WithLocation({Literal(spec.Declaration.FullName)}, field);");
            w.CloseBlock();
            foreach (StateRetiredFieldSpec r in spec.Retired)
            {
                if (r.MigrationMethod is { } method)
                {
                    string n = r.Number.ToString(CultureInfo.InvariantCulture);
                    w.WriteLine();
                    w.OpenBlock($"if (hasRetired{n})");
                    w.WriteLine($"{method}(ref result, retired{n});");
                    w.CloseBlock();
                }
            }

            w.WriteLine();
            w.WriteLine("return result;");
            w.CloseBlock();
        }

        /// <summary>One field's case body: null marker, wire type check, value.</summary>
        private static void EmitReadField(SourceWriter w, StateValueSpec type, string target)
        {
            if (type.CanBeNull)
            {
                w.OpenBlock($"if (wire == {Wire}.Null)");
                w.WriteLine(type.IsReferenceType ? $"{target} = null!;" : $"{target} = null;");
                w.WriteLine("break;");
                w.CloseBlock();
                w.WriteLine();
            }

            w.WriteLine($"reader.ExpectWireType(wire, {Wire}.{WireType(type)});");
            EmitReadValue(w, type.Payload, target, 0);
        }

        private static void EmitWriteValue(SourceWriter w, StateValueSpec type, string expr, int depth)
        {
            string d = depth.ToString(CultureInfo.InvariantCulture);
            switch (type.Kind)
            {
                case StateValueKind.Enum:
                    w.WriteLine($"writer.{WriteMethod(type.Element!.Kind)}(({Keyword(type.Element.Kind)}){expr});");
                    return;
                case StateValueKind.State:
                    w.WriteLine($"{Serializer}.WriteNested(ref writer, {expr});");
                    return;
                case StateValueKind.Nullable:
                    EmitWriteValue(w, type.Element!, expr + ".GetValueOrDefault()", depth);
                    return;
                case StateValueKind.List:
                case StateValueKind.Array:
                    OpenBare(w);
                    w.WriteLine($"{type.Type.FullyQualifiedName} seq{d} = {expr};");
                    w.WriteLine($"writer.WriteSequenceHeader(seq{d}.{(type.Kind == StateValueKind.List ? "Count" : "Length")}, {Descriptor(type)});");
                    w.OpenBlock($"foreach ({type.Element!.Type.FullyQualifiedName} item{d} in seq{d})");
                    EmitWriteElement(w, type.Element, $"item{d}", depth + 1);
                    w.CloseBlock();
                    w.CloseBlock();
                    return;
                case StateValueKind.Dictionary:
                    OpenBare(w);
                    w.WriteLine($"{type.Type.FullyQualifiedName} map{d} = {expr};");
                    w.WriteLine($"string[] keys{d} = {Writer}.RentSortedKeys(map{d}, out int count{d});");
                    w.OpenBlock("try");
                    w.WriteLine($"writer.WriteSequenceHeader(count{d}, {Descriptor(type)});");
                    w.OpenBlock($"for (int i{d} = 0; i{d} < count{d}; i{d}++)");
                    w.WriteLine($"writer.WriteString(keys{d}[i{d}]);");
                    w.WriteLine($"{type.Element!.Type.FullyQualifiedName} item{d} = map{d}[keys{d}[i{d}]];");
                    EmitWriteElement(w, type.Element, $"item{d}", depth + 1);
                    w.CloseBlock();
                    w.CloseBlock();
                    w.OpenBlock("finally");
                    w.WriteLine($"{Writer}.ReturnKeys(keys{d}, count{d});");
                    w.CloseBlock();
                    w.CloseBlock();
                    return;
                default:
                    w.WriteLine($"writer.{WriteMethod(type.Kind)}({expr});");
                    return;
            }
        }

        private static void EmitWriteElement(SourceWriter w, StateValueSpec element, string expr, int depth)
        {
            if (!element.CanBeNull)
            {
                EmitWriteValue(w, element, expr, depth);
                return;
            }

            string check = element.Kind == StateValueKind.Nullable ? $"{expr}.HasValue" : $"{expr} is not null";
            w.OpenBlock($"if ({check})");
            w.WriteLine("writer.WritePresence(true);");
            EmitWriteValue(w, element.Payload, element.Kind == StateValueKind.Nullable ? $"{expr}.GetValueOrDefault()" : expr, depth);
            w.CloseBlock();
            w.OpenBlock("else");
            w.WriteLine("writer.WritePresence(false);");
            w.CloseBlock();
        }

        private static void EmitReadValue(SourceWriter w, StateValueSpec type, string target, int depth)
        {
            string d = depth.ToString(CultureInfo.InvariantCulture);
            switch (type.Kind)
            {
                case StateValueKind.Enum:
                    w.WriteLine($"{target} = ({type.Type.FullyQualifiedName})reader.{ReadMethod(type.Element!.Kind)}();");
                    return;
                case StateValueKind.State:
                    w.WriteLine($"{target} = {Serializer}.ReadNested<{NonNullable(type.Type.FullyQualifiedName)}>(ref reader);");
                    return;
                case StateValueKind.Nullable:
                    EmitReadValue(w, type.Element!, target, depth);
                    return;
                case StateValueKind.List:
                case StateValueKind.Array:
                case StateValueKind.Dictionary:
                    {
                        StateValueSpec element = type.Element!;
                        string elementType = element.Type.FullyQualifiedName;
                        OpenBare(w);
                        w.WriteLine($"int count{d} = reader.ReadSequenceHeader({Descriptor(type)});");
                        string collection = NonNullable(type.Type.FullyQualifiedName);
                        if (type.Kind == StateValueKind.List)
                        {
                            w.WriteLine($"{collection} seq{d} = new {collection}(count{d});");
                        }
                        else if (type.Kind == StateValueKind.Array)
                        {
                            w.WriteLine($"{collection} seq{d} = {Serializer}.NewArray<{elementType}>(count{d});");
                        }
                        else
                        {
                            w.WriteLine($"{collection} seq{d} = new {collection}(count{d}, global::System.StringComparer.Ordinal);");
                            w.WriteLine($"string? key{d} = null;");
                        }

                        w.OpenBlock($"for (int i{d} = 0; i{d} < count{d}; i{d}++)");
                        if (type.Kind == StateValueKind.Dictionary)
                        {
                            w.WriteLine($"key{d} = reader.ReadDictionaryKey(key{d});");
                        }

                        w.WriteLine($"{elementType} item{d};");
                        if (element.CanBeNull)
                        {
                            w.OpenBlock("if (reader.ReadPresence())");
                            EmitReadValue(w, element.Payload, $"item{d}", depth + 1);
                            w.CloseBlock();
                            w.OpenBlock("else");
                            w.WriteLine(element.IsReferenceType ? $"item{d} = null!;" : $"item{d} = null;");
                            w.CloseBlock();
                        }
                        else
                        {
                            EmitReadValue(w, element, $"item{d}", depth + 1);
                        }

                        w.WriteLine(type.Kind switch
                        {
                            StateValueKind.List => $"seq{d}.Add(item{d});",
                            StateValueKind.Array => $"seq{d}[i{d}] = item{d};",
                            _ => $"seq{d}.Add(key{d}, item{d});",
                        });
                        w.CloseBlock();
                        w.WriteLine($"{target} = seq{d};");
                        w.CloseBlock();
                        return;
                    }

                default:
                    w.WriteLine($"{target} = reader.{ReadMethod(type.Kind)}();");
                    return;
            }
        }

        private static void OpenBare(SourceWriter w)
        {
            w.WriteLine("{");
            w.Indentation++;
        }

        private static string NonNullable(string typeName) => typeName.EndsWith("?", System.StringComparison.Ordinal) ? typeName.Substring(0, typeName.Length - 1) : typeName;

        /// <summary>The element descriptor byte of a sequence type: element wire type, presence and key flags.</summary>
        private static string Descriptor(StateValueSpec sequence)
        {
            StateValueSpec element = sequence.Element!;
            int value = (int)WireTypeValue(element.Payload);
            if (element.CanBeNull)
            {
                value |= 0x08;
            }

            if (sequence.Kind == StateValueKind.Dictionary)
            {
                value |= 0x10;
            }

            return "0x" + value.ToString("X2", CultureInfo.InvariantCulture);
        }

        private static string WireType(StateValueSpec type) => WireTypeValue(type.Payload) switch
        {
            0 => "Varint",
            1 => "Fixed64",
            2 => "Bytes",
            3 => "Fixed128",
            4 => "Fixed32",
            5 => "Group",
            _ => "Sequence",
        };

        private static int WireTypeValue(StateValueSpec type) => type.Kind switch
        {
            StateValueKind.Double => 1,
            StateValueKind.String => 2,
            StateValueKind.Decimal or StateValueKind.DateTimeOffset or StateValueKind.Guid => 3,
            StateValueKind.Single => 4,
            StateValueKind.State => 5,
            StateValueKind.List or StateValueKind.Array or StateValueKind.Dictionary => 6,
            StateValueKind.Nullable => WireTypeValue(type.Element!),
            _ => 0,
        };

        private static string WriteMethod(StateValueKind kind) => "Write" + MethodSuffix(kind);

        private static string ReadMethod(StateValueKind kind) => "Read" + MethodSuffix(kind);

        private static string MethodSuffix(StateValueKind kind) => kind switch
        {
            StateValueKind.Boolean => "Boolean",
            StateValueKind.Byte => "Byte",
            StateValueKind.SByte => "SByte",
            StateValueKind.Int16 => "Int16",
            StateValueKind.UInt16 => "UInt16",
            StateValueKind.Int32 => "Int32",
            StateValueKind.UInt32 => "UInt32",
            StateValueKind.Int64 => "Int64",
            StateValueKind.UInt64 => "UInt64",
            StateValueKind.Single => "Single",
            StateValueKind.Double => "Double",
            StateValueKind.Decimal => "Decimal",
            StateValueKind.String => "String",
            StateValueKind.DateTimeOffset => "DateTimeOffset",
            StateValueKind.TimeSpan => "TimeSpan",
            StateValueKind.Guid => "Guid",
            _ => throw new System.InvalidOperationException("No scalar method for " + kind),
        };

        private static string Keyword(StateValueKind kind) => kind switch
        {
            StateValueKind.Byte => "byte",
            StateValueKind.SByte => "sbyte",
            StateValueKind.Int16 => "short",
            StateValueKind.UInt16 => "ushort",
            StateValueKind.Int32 => "int",
            StateValueKind.UInt32 => "uint",
            StateValueKind.Int64 => "long",
            _ => "ulong",
        };

        private static string Literal(string value)
        {
            var sb = new System.Text.StringBuilder("\"");
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default: sb.Append(c); break;
                }
            }

            return sb.Append('"').ToString();
        }

        private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
