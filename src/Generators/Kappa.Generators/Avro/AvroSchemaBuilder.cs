using System.Collections.Generic;
using System.Text;
using Kappa.Generators.Avro.Model;

namespace Kappa.Generators.Avro;

/// <summary>
/// Writes the Avro schema JSON of a record model, either as the full schema (with logical types, namespaces and null
/// defaults) or in the specification's Parsing Canonical Form ([PRIMITIVES], [FULLNAMES], [STRIP], [ORDER], no
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
                Str("bytes");
                break;
            case AvroTypeKind.Decimal:
                Logical("bytes", "decimal", $",\"precision\":{type.Precision},\"scale\":{type.Scale}");
                break;
            case AvroTypeKind.DateTime:
            case AvroTypeKind.DateTimeOffset:
                Logical("long", type.Micros ? "timestamp-micros" : "timestamp-millis", string.Empty);
                break;
            case AvroTypeKind.DateOnly:
                Logical("int", "date", string.Empty);
                break;
            case AvroTypeKind.Guid:
                Logical("string", "uuid", string.Empty);
                break;
            case AvroTypeKind.Nullable:
                _json.Append("[\"null\",");
                Write(type.Item!);
                _json.Append(']');
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

                    _json.Append("]}");
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
                    if (!_canonical && field.Type.Kind == AvroTypeKind.Nullable)
                    {
                        _json.Append(",\"default\":null");
                    }

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
        if (_defined.TryGetValue(name, out string? csType))
        {
            if (csType != type.CsType.TrimEnd('?') && Conflict is null)
            {
                Conflict = (name, csType, type.CsType.TrimEnd('?'));
            }

            Str(name);
            return false;
        }

        _defined.Add(name, type.CsType.TrimEnd('?'));
        return true;
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
