using System.Collections.Generic;
using System.Text;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;

namespace Kappa.Generators.Avro;

/// <summary>
/// Writes the Avro schema JSON of a record model, either as the full schema (with logical types, namespaces, docs,
/// aliases, field defaults and enum defaults) or in the specification's Parsing Canonical Form ([PRIMITIVES], [FULLNAMES], [STRIP], [ORDER], no
/// whitespace). Named types are defined at their first use and referenced by full name afterwards.
/// </summary>
internal sealed class AvroSchemaBuilder
{
    private readonly StringBuilder _json = new();
    private readonly Dictionary<string, string> _defined = new();
    private bool _canonical;

    /// <summary>Set when two different C# types map to one Avro full name.</summary>
    public (string Name, string First, string Second)? Conflict { get; private set; }

    public string Build(AvroTypeSpec root, bool canonical)
    {
        _canonical = canonical;
        Write(root);
        return _json.ToString();
    }

    private void Write(AvroTypeSpec type)
    {
        switch (type.Kind)
        {
            case AvroTypeKind.Boolean:
                Str("boolean");
                break;
            case AvroTypeKind.Int:
                Str("int");
                break;
            case AvroTypeKind.Long:
                Str("long");
                break;
            case AvroTypeKind.Float:
                Str("float");
                break;
            case AvroTypeKind.Double:
                Str("double");
                break;
            case AvroTypeKind.String:
                Str("string");
                break;
            case AvroTypeKind.ByteArray:
            case AvroTypeKind.ReadOnlyMemory:
                if (type.FixedSize > 0)
                {
                    WriteFixed(type, null);
                    break;
                }

                Str("bytes");
                break;
            case AvroTypeKind.Duration:
                WriteFixed(type, "duration");
                break;
            case AvroTypeKind.TimeOnly:
                Logical(type.Micros ? "long" : "int", type.Micros ? "time-micros" : "time-millis", string.Empty);
                break;
            case AvroTypeKind.Union:
            case AvroTypeKind.ValueUnion:
                _json.Append('[');
                WriteBranches(type);
                _json.Append(']');
                break;
            case AvroTypeKind.Decimal:
                Logical("bytes", "decimal", $",\"precision\":{type.Precision},\"scale\":{type.Scale}");
                break;
            case AvroTypeKind.DateTime:
            case AvroTypeKind.DateTimeOffset:
                Logical("long", (type.Local ? "local-" : string.Empty) + (type.Micros ? "timestamp-micros" : "timestamp-millis"), string.Empty);
                break;
            case AvroTypeKind.DateOnly:
                Logical("int", "date", string.Empty);
                break;
            case AvroTypeKind.Guid:
                if (type.FixedSize > 0)
                {
                    WriteFixed(type, "uuid");
                    break;
                }

                Logical("string", "uuid", string.Empty);
                break;
            case AvroTypeKind.Nullable:
                _json.Append('[');
                if (!type.NullLast)
                {
                    _json.Append("\"null\",");
                }

                if (type.Item!.Kind is AvroTypeKind.Union or AvroTypeKind.ValueUnion)
                {
                    WriteBranches(type.Item); // a union may not hold a union: ["null", A, B]
                }
                else
                {
                    Write(type.Item);
                }

                _json.Append(type.NullLast ? ",\"null\"]" : "]");
                break;
            case AvroTypeKind.Array:
            case AvroTypeKind.List:
            case AvroTypeKind.ReadOnlyList:
                _json.Append("{\"type\":\"array\",\"items\":");
                Write(type.Item!);
                _json.Append('}');
                break;
            case AvroTypeKind.Dictionary:
            case AvroTypeKind.ReadOnlyDictionary:
                _json.Append("{\"type\":\"map\",\"values\":");
                Write(type.Item!);
                _json.Append('}');
                break;
            case AvroTypeKind.Enum:
                if (Define(type))
                {
                    OpenNamed(type.AvroFullName!, "enum");
                    _json.Append(",\"symbols\":[");
                    for (int i = 0; i < type.Symbols.Count; i++)
                    {
                        if (i > 0)
                        {
                            _json.Append(',');
                        }

                        Str(type.Symbols[i]);
                    }

                    _json.Append(']');
                    if (!_canonical && type.EnumDefault is not null)
                    {
                        _json.Append(",\"default\":"); // the enum's own default ([AvroEnumDefault]); the canonical form strips it
                        Str(type.EnumDefault);
                    }

                    _json.Append('}');
                }

                break;
            case AvroTypeKind.Record:
                if (type.IsReference || !Define(type))
                {
                    if (type.IsReference)
                    {
                        Str(type.AvroFullName!);
                    }

                    break;
                }

                OpenNamed(type.AvroFullName!, "record");
                DocAndAliases(type.Doc, type.Aliases);
                _json.Append(",\"fields\":[");
                for (int i = 0; i < type.Fields.Count; i++)
                {
                    AvroFieldSpec field = type.Fields[i];
                    if (i > 0)
                    {
                        _json.Append(',');
                    }

                    _json.Append("{\"name\":");
                    Str(field.Name);
                    _json.Append(",\"type\":");
                    Write(field.Type);
                    if (!_canonical && field.Doc is not null)
                    {
                        _json.Append(",\"doc\":");
                        Str(field.Doc);
                    }

                    if (!_canonical && field.DefaultJson is not null)
                    {
                        _json.Append(",\"default\":").Append(field.DefaultJson);
                    }

                    DocAndAliases(null, field.Aliases);
                    _json.Append('}');
                }

                _json.Append("]}");
                break;
        }
    }

    /// <summary>Writes a reference when the named type is already defined and returns false; otherwise returns true.</summary>
    private bool Define(AvroTypeSpec type)
    {
        string name = type.AvroFullName!;
        string signature = Signature(type);
        if (_defined.TryGetValue(name, out string? existing))
        {
            if (existing != signature && Conflict is null)
            {
                Conflict = (name, existing, signature);
            }

            Str(name);
            return false;
        }

        _defined.Add(name, signature);
        return true;
    }

    /// <summary>What makes two uses of one Avro name the same type: the C# type of records and enums, the size and logical type of a fixed.</summary>
    private static string Signature(AvroTypeSpec type) => type.Kind switch
    {
        AvroTypeKind.Duration => "fixed(12) duration",
        AvroTypeKind.Guid => "fixed(16) uuid",
        AvroTypeKind.ByteArray or AvroTypeKind.ReadOnlyMemory => $"fixed({type.FixedSize})",
        _ => type.CsType.TrimEnd('?'),
    };

    /// <summary>A named fixed (defined once, then referenced), with its logical type in the full schema.</summary>
    private void WriteFixed(AvroTypeSpec type, string? logicalType)
    {
        if (!Define(type))
        {
            return;
        }

        OpenNamed(type.AvroFullName!, "fixed");
        _json.Append(",\"size\":").Append(type.FixedSize);
        if (!_canonical && logicalType is not null)
        {
            _json.Append(",\"logicalType\":");
            Str(logicalType);
        }

        _json.Append('}');
    }

    private void WriteBranches(AvroTypeSpec union)
    {
        for (int i = 0; i < union.Branches.Count; i++)
        {
            if (i > 0)
            {
                _json.Append(',');
            }

            Write(union.Branches[i]);
        }
    }

    /// <summary>The <c>doc</c> and <c>aliases</c> attributes (full schema only; the canonical form strips them).</summary>
    private void DocAndAliases(string? doc, EquatableArray<string> aliases)
    {
        if (_canonical)
        {
            return;
        }

        if (doc is not null)
        {
            _json.Append(",\"doc\":");
            Str(doc);
        }

        if (aliases.Count > 0)
        {
            _json.Append(",\"aliases\":[");
            for (int i = 0; i < aliases.Count; i++)
            {
                if (i > 0)
                {
                    _json.Append(',');
                }

                Str(aliases[i]);
            }

            _json.Append(']');
        }
    }

    private void OpenNamed(string fullName, string kind)
    {
        if (_canonical)
        {
            _json.Append("{\"name\":");
            Str(fullName);
            _json.Append(",\"type\":");
            Str(kind);
            return;
        }

        int dot = fullName.LastIndexOf('.');
        _json.Append("{\"type\":");
        Str(kind);
        _json.Append(",\"name\":");
        Str(dot < 0 ? fullName : fullName.Substring(dot + 1));
        _json.Append(",\"namespace\":");
        Str(dot < 0 ? string.Empty : fullName.Substring(0, dot));
    }

    private void Logical(string primitive, string logicalType, string extra)
    {
        if (_canonical)
        {
            Str(primitive);
            return;
        }

        _json.Append("{\"type\":");
        Str(primitive);
        _json.Append(",\"logicalType\":");
        Str(logicalType);
        _json.Append(extra).Append('}');
    }

    private void Str(string value)
    {
        _json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"':
                    _json.Append("\\\"");
                    break;
                case '\\':
                    _json.Append("\\\\");
                    break;
                default:
                    if (c < 0x20)
                    {
                        _json.Append("\\u").Append(((int)c).ToString("x4"));
                    }
                    else
                    {
                        _json.Append(c);
                    }

                    break;
            }
        }

        _json.Append('"');
    }
}
