using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;
using Microsoft.CodeAnalysis.CSharp;

namespace Kappa.Generators.Avro;

public sealed partial class AvroRecordGenerator
{
    /// <summary>Model to C#: the partial declaration implementing IAvroRecord with straight-line read and write code.</summary>
    internal static class Emitter
    {
        private const string Reader = "global::Kappa.Avro.AvroReader";
        private const string Writer = "global::Kappa.Avro.AvroWriter";
        private const string DecodeException = "global::Kappa.Avro.AvroDecodeException";
        private const string EncodeException = "global::Kappa.Avro.AvroEncodeException";
        private const string Invariant = "global::System.Globalization.CultureInfo.InvariantCulture";

        public static string Emit(AvroRecordSpec spec)
        {
            var w = new SourceWriter();
            w.WriteLine(SourceWriter.Header.TrimEnd('\n'));
            w.WriteLine();
            if (spec.Namespace is not null)
            {
                w.OpenBlock("namespace " + spec.Namespace);
            }

            foreach (var containing in spec.ContainingTypes)
            {
                w.OpenBlock($"partial {containing.Keyword} {Identifier(containing.Name)}");
            }

            string t = spec.FullyQualifiedName;
            string modifiers = spec.HidesInheritedCodec ? "public static new" : "public static";
            w.OpenBlock($"partial {spec.Keyword} {Identifier(spec.TypeName)} : global::Kappa.Avro.IAvroRecord<{t}>");
            w.WriteLine("/// <summary>The Avro schema of this type (JSON).</summary>");
            w.WriteLine($"{modifiers} string AvroSchemaJson => {Literal(spec.SchemaJson)};");
            w.WriteLine();
            w.WriteLine("/// <summary>The schema in Avro's Parsing Canonical Form.</summary>");
            w.WriteLine($"{modifiers} string AvroCanonicalSchema => {Literal(spec.CanonicalForm)};");
            w.WriteLine();
            w.WriteLine("/// <summary>CRC-64-AVRO fingerprint of <see cref=\"AvroCanonicalSchema\"/>.</summary>");
            w.WriteLine($"{modifiers} long AvroFingerprint => {spec.Fingerprint.ToString(CultureInfo.InvariantCulture)}L;");
            w.WriteLine();
            EmitRead(w, spec, modifiers);
            w.WriteLine();
            EmitWrite(w, spec);
            w.CloseBlock();

            foreach (var _ in spec.ContainingTypes)
            {
                w.CloseBlock();
            }

            if (spec.Namespace is not null)
            {
                w.CloseBlock();
            }

            return w.ToString();
        }

        private static void EmitRead(SourceWriter w, AvroRecordSpec spec, string modifiers)
        {
            w.WriteLine("/// <summary>Reads one value; throws <see cref=\"global::Kappa.Avro.AvroDecodeException\"/> on bad input.</summary>");
            w.OpenBlock($"{modifiers} {spec.FullyQualifiedName} ReadAvro(ref {Reader} reader)");
            w.WriteLine($"reader.TypeName = {Literal(spec.TypeName)};");
            var context = new ReadContext(spec.TypeName);
            for (int i = 0; i < spec.Fields.Count; i++)
            {
                AvroFieldSpec field = spec.Fields[i];
                context.Field = field.Name;
                w.WriteLine($"reader.Field = {Literal(field.Name)};");
                w.WriteLine($"{field.Type.CsType} f{i};");
                ReadInto(w, field.Type, "f" + i, 0, context);
            }

            var args = new StringBuilder();
            if (spec.UsePrimaryConstructor)
            {
                for (int i = 0; i < spec.Fields.Count; i++)
                {
                    args.Append(i == 0 ? string.Empty : ", ").Append('f').Append(i);
                }

                w.WriteLine($"return new {spec.FullyQualifiedName}({args});");
            }
            else if (spec.Fields.Count == 0)
            {
                w.WriteLine($"return new {spec.FullyQualifiedName}();");
            }
            else
            {
                w.WriteLine($"return new {spec.FullyQualifiedName}");
                w.WriteLine("{");
                w.Indentation++;
                for (int i = 0; i < spec.Fields.Count; i++)
                {
                    w.WriteLine($"{Identifier(spec.Fields[i].Name)} = f{i},");
                }

                w.Indentation--;
                w.WriteLine("};");
            }

            w.CloseBlock();
        }

        private sealed class ReadContext
        {
            public ReadContext(string typeName)
            {
                TypeName = typeName;
            }

            public string TypeName { get; }

            public string Field { get; set; } = string.Empty;

            /// <summary>Index or key variables of the enclosing collections, outermost first (for error paths).</summary>
            public List<string> Indexes { get; } = new();

            public string SegmentExpression()
            {
                if (Indexes.Count == 0)
                {
                    return Literal(Field);
                }

                var sb = new StringBuilder(Literal(Field));
                foreach (string index in Indexes)
                {
                    sb.Append(" + \"[\" + ").Append(index).Append(" + \"]\"");
                }

                return sb.ToString();
            }
        }

        private static void ReadInto(SourceWriter w, AvroTypeSpec type, string target, int depth, ReadContext context)
        {
            switch (type.Kind)
            {
                case AvroTypeKind.Boolean:
                    w.WriteLine($"{target} = reader.ReadBoolean();");
                    break;
                case AvroTypeKind.Int:
                    w.WriteLine($"{target} = reader.ReadInt();");
                    break;
                case AvroTypeKind.Long:
                    w.WriteLine($"{target} = reader.ReadLong();");
                    break;
                case AvroTypeKind.Float:
                    w.WriteLine($"{target} = reader.ReadFloat();");
                    break;
                case AvroTypeKind.Double:
                    w.WriteLine($"{target} = reader.ReadDouble();");
                    break;
                case AvroTypeKind.String:
                    w.WriteLine($"{target} = reader.ReadString();");
                    break;
                case AvroTypeKind.ByteArray:
                    w.WriteLine($"{target} = reader.ReadBytes();");
                    break;
                case AvroTypeKind.ReadOnlyMemory:
                    w.WriteLine($"{target} = new global::System.ReadOnlyMemory<byte>(reader.ReadBytes());");
                    break;
                case AvroTypeKind.Decimal:
                    w.WriteLine($"{target} = reader.ReadDecimal({type.Scale});");
                    break;
                case AvroTypeKind.DateTimeOffset:
                    w.WriteLine($"{target} = reader.ReadTimestamp{(type.Micros ? "Micros" : "Millis")}();");
                    break;
                case AvroTypeKind.DateTime:
                    w.WriteLine($"{target} = reader.ReadDateTime{(type.Micros ? "Micros" : "Millis")}();");
                    break;
                case AvroTypeKind.DateOnly:
                    w.WriteLine($"{target} = reader.ReadDate();");
                    break;
                case AvroTypeKind.Guid:
                    w.WriteLine($"{target} = reader.ReadUuid();");
                    break;
                case AvroTypeKind.Enum:
                {
                    string enumType = type.CsType.TrimEnd('?');
                    w.WriteLine($"{target} = reader.ReadEnumIndex({type.Symbols.Count}) switch");
                    w.WriteLine("{");
                    w.Indentation++;
                    for (int i = 0; i < type.Symbols.Count - 1; i++)
                    {
                        w.WriteLine($"{i} => {enumType}.{Identifier(type.Symbols[i])},");
                    }

                    w.WriteLine($"_ => {enumType}.{Identifier(type.Symbols[type.Symbols.Count - 1])},");
                    w.Indentation--;
                    w.WriteLine("};");
                    break;
                }

                case AvroTypeKind.Record:
                    w.WriteLine("reader.EnterRecord();");
                    w.OpenBlock("try");
                    w.WriteLine($"{target} = {type.CsType.TrimEnd('?')}.ReadAvro(ref reader);");
                    w.CloseBlock();
                    w.OpenBlock($"catch ({DecodeException} e)");
                    w.WriteLine($"throw e.Nest({Literal(context.TypeName)}, {context.SegmentExpression()});");
                    w.CloseBlock();
                    w.WriteLine("reader.ExitRecord();");
                    w.WriteLine($"reader.TypeName = {Literal(context.TypeName)};");
                    w.WriteLine($"reader.Field = {Literal(context.Field)};");
                    break;
                case AvroTypeKind.Nullable:
                    w.OpenBlock("if (reader.ReadUnionIndex(2) == 0)");
                    w.WriteLine($"{target} = null;");
                    w.CloseBlock();
                    w.OpenBlock("else");
                    ReadInto(w, type.Item!, target, depth, context);
                    w.CloseBlock();
                    break;
                case AvroTypeKind.Array:
                case AvroTypeKind.ReadOnlyList:
                    ReadArray(w, type, target, depth, context);
                    break;
                case AvroTypeKind.List:
                    ReadList(w, type, target, depth, context);
                    break;
                case AvroTypeKind.Dictionary:
                case AvroTypeKind.ReadOnlyDictionary:
                    ReadMap(w, type, target, depth, context);
                    break;
            }
        }

        private static void ReadArray(SourceWriter w, AvroTypeSpec type, string target, int depth, ReadContext context)
        {
            AvroTypeSpec item = type.Item!;
            string n = "n" + depth, a = "a" + depth, c = "c" + depth, v = "item" + depth;
            OpenScope(w);
            w.WriteLine($"int {n} = reader.ReadBlockCount({item.MinSize}, 0);");
            w.WriteLine($"{item.CsType}[] {a} = {n} == 0 ? global::System.Array.Empty<{item.CsType}>() : new {ArrayOf(item.CsType, n)};");
            w.WriteLine($"int {c} = 0;");
            w.OpenBlock($"while ({n} != 0)");
            w.OpenBlock($"if ({a}.Length - {c} < {n})");
            w.WriteLine($"global::System.Array.Resize(ref {a}, {c} + {n});");
            w.CloseBlock();
            w.OpenBlock($"for (int end{depth} = {c} + {n}; {c} < end{depth}; {c}++)");
            w.WriteLine($"{item.CsType} {v};");
            context.Indexes.Add(c + ".ToString(" + Invariant + ")");
            ReadInto(w, item, v, depth + 1, context);
            context.Indexes.RemoveAt(context.Indexes.Count - 1);
            w.WriteLine($"{a}[{c}] = {v};");
            w.CloseBlock();
            w.WriteLine($"{n} = reader.ReadBlockCount({item.MinSize}, {c});");
            w.CloseBlock();
            w.OpenBlock($"if ({c} != {a}.Length)");
            w.WriteLine($"global::System.Array.Resize(ref {a}, {c});");
            w.CloseBlock();
            w.WriteLine($"{target} = {a};");
            w.CloseBlock();
        }

        private static void ReadList(SourceWriter w, AvroTypeSpec type, string target, int depth, ReadContext context)
        {
            AvroTypeSpec item = type.Item!;
            string n = "n" + depth, l = "l" + depth, v = "item" + depth;
            string listType = $"global::System.Collections.Generic.List<{item.CsType}>";
            OpenScope(w);
            w.WriteLine($"int {n} = reader.ReadBlockCount({item.MinSize}, 0);");
            w.WriteLine($"var {l} = new {listType}({n});");
            w.OpenBlock($"while ({n} != 0)");
            w.WriteLine($"{l}.EnsureCapacity({l}.Count + {n});");
            w.OpenBlock($"for (int k{depth} = 0; k{depth} < {n}; k{depth}++)");
            w.WriteLine($"{item.CsType} {v};");
            context.Indexes.Add($"{l}.Count.ToString({Invariant})");
            ReadInto(w, item, v, depth + 1, context);
            context.Indexes.RemoveAt(context.Indexes.Count - 1);
            w.WriteLine($"{l}.Add({v});");
            w.CloseBlock();
            w.WriteLine($"{n} = reader.ReadBlockCount({item.MinSize}, {l}.Count);");
            w.CloseBlock();
            w.WriteLine($"{target} = {l};");
            w.CloseBlock();
        }

        private static void ReadMap(SourceWriter w, AvroTypeSpec type, string target, int depth, ReadContext context)
        {
            AvroTypeSpec item = type.Item!;
            string n = "n" + depth, m = "m" + depth, v = "item" + depth, k = "key" + depth;
            string mapType = $"global::System.Collections.Generic.Dictionary<string, {item.CsType}>";
            OpenScope(w);
            w.WriteLine($"int {n} = reader.ReadBlockCount(1, 0);");
            w.WriteLine($"var {m} = new {mapType}({n});");
            w.OpenBlock($"while ({n} != 0)");
            w.WriteLine($"{m}.EnsureCapacity({m}.Count + {n});");
            w.OpenBlock($"for (int k{depth} = 0; k{depth} < {n}; k{depth}++)");
            w.WriteLine($"string {k} = reader.ReadString();");
            w.WriteLine($"{item.CsType} {v};");
            context.Indexes.Add(k);
            ReadInto(w, item, v, depth + 1, context);
            context.Indexes.RemoveAt(context.Indexes.Count - 1);
            w.WriteLine($"{m}[{k}] = {v};");
            w.CloseBlock();
            w.WriteLine($"{n} = reader.ReadBlockCount(1, {m}.Count);");
            w.CloseBlock();
            w.WriteLine($"{target} = {m};");
            w.CloseBlock();
        }

        /// <summary>"new T[n]" for an item type that may itself be an array ("int[]" gives "new int[n][]").</summary>
        private static string ArrayOf(string itemType, string length)
        {
            var plain = new StringBuilder();
            int firstRank = -1;
            int depth = 0;
            foreach (char ch in itemType)
            {
                if (ch == '<')
                {
                    depth++;
                }
                else if (ch == '>')
                {
                    depth--;
                }
                else if (depth == 0 && ch == '[' && firstRank < 0)
                {
                    firstRank = plain.Length;
                }

                plain.Append(ch);
            }

            if (firstRank < 0)
            {
                return itemType + "[" + length + "]";
            }

            // Drop top-level nullable annotations of inner ranks: an array creation cannot spell them, and a
            // non-annotated array converts to the annotated one without a warning.
            string head = plain.ToString(0, firstRank).TrimEnd('?');
            string ranks = plain.ToString(firstRank, plain.Length - firstRank).Replace("?", string.Empty);
            return head + "[" + length + "]" + ranks;
        }

        private static void OpenScope(SourceWriter w)
        {
            w.WriteLine("{");
            w.Indentation++;
        }

        private static void EmitWrite(SourceWriter w, AvroRecordSpec spec)
        {
            w.WriteLine("/// <summary>Writes one value.</summary>");
            w.OpenBlock($"public static void WriteAvro(ref {Writer} writer, in {spec.FullyQualifiedName} value)");
            if (!spec.IsValueType)
            {
                w.OpenBlock("if (value is null)");
                w.WriteLine($"throw {EncodeException}.NullValue({Literal(spec.TypeName)}, null);");
                w.CloseBlock();
            }

            foreach (var field in spec.Fields)
            {
                WriteValue(w, field.Type, "value." + Identifier(field.Name), 0, spec.TypeName, field.Name);
            }

            w.CloseBlock();
        }

        private static void WriteValue(SourceWriter w, AvroTypeSpec type, string expr, int depth, string typeName, string field)
        {
            string nullThrow = $"throw {EncodeException}.NullValue({Literal(typeName)}, {Literal(field)})";
            switch (type.Kind)
            {
                case AvroTypeKind.Boolean:
                    w.WriteLine($"writer.WriteBoolean({expr});");
                    break;
                case AvroTypeKind.Int:
                    w.WriteLine($"writer.WriteInt({expr});");
                    break;
                case AvroTypeKind.Long:
                    w.WriteLine($"writer.WriteLong({expr});");
                    break;
                case AvroTypeKind.Float:
                    w.WriteLine($"writer.WriteFloat({expr});");
                    break;
                case AvroTypeKind.Double:
                    w.WriteLine($"writer.WriteDouble({expr});");
                    break;
                case AvroTypeKind.String:
                    w.WriteLine($"writer.WriteString({expr} ?? {nullThrow});");
                    break;
                case AvroTypeKind.ByteArray:
                    w.WriteLine($"writer.WriteBytes({expr} ?? {nullThrow});");
                    break;
                case AvroTypeKind.ReadOnlyMemory:
                    w.WriteLine($"writer.WriteBytes({expr}.Span);");
                    break;
                case AvroTypeKind.Decimal:
                    w.OpenBlock($"if (!writer.TryWriteDecimal({expr}, {type.Precision}, {type.Scale}))");
                    w.WriteLine($"throw {EncodeException}.DecimalOutOfRange({Literal(typeName)}, {Literal(field)}, {expr}, {type.Precision}, {type.Scale});");
                    w.CloseBlock();
                    break;
                case AvroTypeKind.DateTimeOffset:
                case AvroTypeKind.DateTime:
                    w.WriteLine($"writer.WriteTimestamp{(type.Micros ? "Micros" : "Millis")}({expr});");
                    break;
                case AvroTypeKind.DateOnly:
                    w.WriteLine($"writer.WriteDate({expr});");
                    break;
                case AvroTypeKind.Guid:
                    w.WriteLine($"writer.WriteUuid({expr});");
                    break;
                case AvroTypeKind.Enum:
                {
                    string enumType = type.CsType.TrimEnd('?');
                    w.WriteLine($"writer.WriteInt({expr} switch");
                    w.WriteLine("{");
                    w.Indentation++;
                    foreach (int index in type.EnumWriteIndexes)
                    {
                        w.WriteLine($"{enumType}.{Identifier(type.Symbols[index])} => {index},");
                    }

                    w.WriteLine($"var other => throw {EncodeException}.UndefinedEnumValue({Literal(typeName)}, {Literal(field)}, other.ToString()),");
                    w.Indentation--;
                    w.WriteLine("});");
                    break;
                }

                case AvroTypeKind.Record:
                    w.WriteLine($"writer.EnterRecord({Literal(typeName)}, {Literal(field)});");
                    if (type.IsValueType)
                    {
                        w.WriteLine($"{type.CsType.TrimEnd('?')}.WriteAvro(ref writer, {expr});");
                    }
                    else
                    {
                        w.WriteLine($"{type.CsType.TrimEnd('?')}.WriteAvro(ref writer, {expr} ?? {nullThrow});");
                    }

                    w.WriteLine("writer.ExitRecord();");
                    break;
                case AvroTypeKind.Nullable:
                {
                    string v = "v" + depth;
                    OpenScope(w);
                    w.WriteLine($"var {v} = {expr};");
                    w.OpenBlock($"if ({v} is null)");
                    w.WriteLine("writer.WriteLong(0);");
                    w.CloseBlock();
                    w.OpenBlock("else");
                    w.WriteLine("writer.WriteLong(1);");
                    WriteValue(w, type.Item!, type.IsValueType ? v + ".GetValueOrDefault()" : v, depth + 1, typeName, field);
                    w.CloseBlock();
                    w.CloseBlock();
                    break;
                }

                case AvroTypeKind.Array:
                case AvroTypeKind.List:
                case AvroTypeKind.ReadOnlyList:
                {
                    string c = "c" + depth, i = "i" + depth;
                    string count = type.Kind == AvroTypeKind.Array ? "Length" : "Count";
                    OpenScope(w);
                    w.WriteLine($"var {c} = {expr} ?? {nullThrow};");
                    w.OpenBlock($"if ({c}.{count} > 0)");
                    w.WriteLine($"writer.WriteLong({c}.{count});");
                    w.OpenBlock($"for (int {i} = 0; {i} < {c}.{count}; {i}++)");
                    WriteValue(w, type.Item!, $"{c}[{i}]", depth + 1, typeName, field);
                    w.CloseBlock();
                    w.CloseBlock();
                    w.WriteLine("writer.WriteLong(0);");
                    w.CloseBlock();
                    break;
                }

                case AvroTypeKind.Dictionary:
                case AvroTypeKind.ReadOnlyDictionary:
                {
                    string m = "m" + depth, kv = "kv" + depth;
                    OpenScope(w);
                    w.WriteLine($"var {m} = {expr} ?? {nullThrow};");
                    w.OpenBlock($"if ({m}.Count > 0)");
                    w.WriteLine($"writer.WriteLong({m}.Count);");
                    if (type.Kind == AvroTypeKind.ReadOnlyDictionary)
                    {
                        // Enumerate a Dictionary through its struct enumerator (no allocation); other implementations through the interface.
                        string d = "d" + depth;
                        w.OpenBlock($"if ({m} is global::System.Collections.Generic.Dictionary<string, {type.Item!.CsType}> {d})");
                        WriteEntries(w, type.Item!, d, kv, depth, typeName, field);
                        w.CloseBlock();
                        w.OpenBlock("else");
                        WriteEntries(w, type.Item!, m, kv, depth, typeName, field);
                        w.CloseBlock();
                    }
                    else
                    {
                        WriteEntries(w, type.Item!, m, kv, depth, typeName, field);
                    }

                    w.CloseBlock();
                    w.WriteLine("writer.WriteLong(0);");
                    w.CloseBlock();
                    break;
                }
            }
        }

        private static void WriteEntries(SourceWriter w, AvroTypeSpec item, string map, string kv, int depth, string typeName, string field)
        {
            w.OpenBlock($"foreach (var {kv} in {map})");
            w.WriteLine($"writer.WriteString({kv}.Key);");
            WriteValue(w, item, kv + ".Value", depth + 1, typeName, field);
            w.CloseBlock();
        }

        private static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary>A C# string literal (ASCII-only: other characters become \u escapes so output is byte-stable).</summary>
        internal static string Literal(string value)
        {
            var sb = new StringBuilder(value.Length + 2);
            sb.Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"':
                        sb.Append("\\\"");
                        break;
                    case '\\':
                        sb.Append("\\\\");
                        break;
                    default:
                        if (c < 0x20 || c > 0x7e)
                        {
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            sb.Append(c);
                        }

                        break;
                }
            }

            return sb.Append('"').ToString();
        }
    }
}
