using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Kappa.Generators.Common;
using Kappa.Generators.State.Model;

namespace Kappa.Generators.State;

/// <summary>
/// Reads and writes kappa-state.lock.json: the accepted shape of every state type (see docs/state.md). The format is
/// a small fixed JSON layout; this parser accepts any JSON whitespace and member order and reports the line of an error.
/// </summary>
internal static class StateLockFile
{
    public const string FileName = "kappa-state.lock.json";
    public const int FormatVersion = 1;

    public static StateLockSpec Parse(string path, string? text)
    {
        if (text is null)
        {
            return new StateLockSpec(path, EquatableArray<StateLockTypeSpec>.Empty, "the file could not be read");
        }

        try
        {
            var parser = new JsonParser(text);
            object? root = parser.ParseDocument();
            var obj = AsObject(root, "the document");
            long format = AsLong(Get(obj, "version", "the document"), "version");
            if (format != FormatVersion)
            {
                throw new FormatException($"lock file format version {format} is not supported (expected {FormatVersion})");
            }

            var types = new List<StateLockTypeSpec>();
            foreach (object? item in AsArray(Get(obj, "states", "the document"), "states"))
            {
                var state = AsObject(item, "a states entry");
                string type = AsString(Get(state, "type", "a states entry"), "type");
                int schemaVersion = (int)AsLong(Get(state, "schemaVersion", type), type + ".schemaVersion");
                var fields = ParseFields(state, "fields", type);
                var retired = state.ContainsKey("retired") ? ParseFields(state, "retired", type) : new List<StateLockFieldSpec>();
                var numbers = new HashSet<int>();
                foreach (var f in fields.Concat(retired))
                {
                    if (f.Number <= 0 || !numbers.Add(f.Number))
                    {
                        throw new FormatException($"state '{type}' uses field number {f.Number} twice or below 1");
                    }
                }

                if (types.Any(t => t.Type == type))
                {
                    throw new FormatException($"state '{type}' is listed twice");
                }

                types.Add(new StateLockTypeSpec(type, schemaVersion, fields.ToEquatableArray(), retired.ToEquatableArray()));
            }

            return new StateLockSpec(path, types.ToEquatableArray(), null);
        }
        catch (FormatException ex)
        {
            return new StateLockSpec(path, EquatableArray<StateLockTypeSpec>.Empty, ex.Message);
        }
    }

    /// <summary>The JSON of one states entry, indented as inside the file.</summary>
    public static string WriteEntry(StateLockTypeSpec type)
    {
        var sb = new StringBuilder();
        sb.Append("    {\n");
        sb.Append("      \"type\": ").Append(Quote(type.Type)).Append(",\n");
        sb.Append("      \"schemaVersion\": ").Append(type.SchemaVersion.ToString(CultureInfo.InvariantCulture)).Append(",\n");
        AppendFields(sb, "fields", type.Fields, type.Retired.Count > 0);
        if (type.Retired.Count > 0)
        {
            AppendFields(sb, "retired", type.Retired, comma: false);
        }

        sb.Append("    }");
        return sb.ToString();
    }

    /// <summary>A whole lock file for these types (ordinal order by type name).</summary>
    public static string WriteFile(IEnumerable<StateLockTypeSpec> types)
    {
        var sb = new StringBuilder();
        sb.Append("{\n  \"version\": 1,\n  \"states\": [\n");
        var ordered = types.OrderBy(t => t.Type, StringComparer.Ordinal).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            sb.Append(WriteEntry(ordered[i])).Append(i + 1 < ordered.Count ? ",\n" : "\n");
        }

        sb.Append("  ]\n}\n");
        return sb.ToString();
    }

    private static void AppendFields(StringBuilder sb, string name, EquatableArray<StateLockFieldSpec> fields, bool comma)
    {
        sb.Append("      ").Append(Quote(name)).Append(": [");
        if (fields.Count == 0)
        {
            sb.Append(']');
        }
        else
        {
            sb.Append('\n');
            for (int i = 0; i < fields.Count; i++)
            {
                var f = fields[i];
                sb.Append("        { \"number\": ").Append(f.Number.ToString(CultureInfo.InvariantCulture))
                  .Append(", \"name\": ").Append(Quote(f.Name))
                  .Append(", \"type\": ").Append(Quote(f.Type)).Append(" }")
                  .Append(i + 1 < fields.Count ? ",\n" : "\n");
            }

            sb.Append("      ]");
        }

        sb.Append(comma ? ",\n" : "\n");
    }

    private static List<StateLockFieldSpec> ParseFields(Dictionary<string, object?> state, string member, string type)
    {
        var result = new List<StateLockFieldSpec>();
        foreach (object? item in AsArray(Get(state, member, type), type + "." + member))
        {
            var f = AsObject(item, type + "." + member + " entry");
            string what = type + "." + member;
            result.Add(new StateLockFieldSpec(
                (int)AsLong(Get(f, "number", what), what + ".number"),
                AsString(Get(f, "name", what), what + ".name"),
                AsString(Get(f, "type", what), what + ".type")));
        }

        return result;
    }

    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
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

    private static object? Get(Dictionary<string, object?> obj, string name, string where) =>
        obj.TryGetValue(name, out object? value) ? value : throw new FormatException($"'{name}' is missing in {where}");

    private static Dictionary<string, object?> AsObject(object? value, string what) =>
        value as Dictionary<string, object?> ?? throw new FormatException($"{what} must be a JSON object");

    private static List<object?> AsArray(object? value, string what) =>
        value as List<object?> ?? throw new FormatException($"'{what}' must be a JSON array");

    private static string AsString(object? value, string what) =>
        value as string ?? throw new FormatException($"'{what}' must be a string");

    private static long AsLong(object? value, string what) =>
        value is long l ? l : throw new FormatException($"'{what}' must be an integer");

    private sealed class JsonParser
    {
        private readonly string _text;
        private int _pos;

        public JsonParser(string text)
        {
            _text = text;
        }

        public object? ParseDocument()
        {
            object? value = ParseValue();
            SkipWhitespace();
            if (_pos != _text.Length)
            {
                throw Error("unexpected text after the JSON document");
            }

            return value;
        }

        private object? ParseValue()
        {
            SkipWhitespace();
            if (_pos >= _text.Length)
            {
                throw Error("unexpected end of file");
            }

            char c = _text[_pos];
            switch (c)
            {
                case '{':
                    return ParseObject();
                case '[':
                    return ParseArray();
                case '"':
                    return ParseString();
                case 't':
                    Expect("true");
                    return true;
                case 'f':
                    Expect("false");
                    return false;
                case 'n':
                    Expect("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ParseNumber();
                    }

                    throw Error($"unexpected character '{c}'");
            }
        }

        private Dictionary<string, object?> ParseObject()
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            _pos++;
            SkipWhitespace();
            if (Peek() == '}')
            {
                _pos++;
                return result;
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw Error("expected a member name");
                }

                string name = ParseString();
                SkipWhitespace();
                if (Peek() != ':')
                {
                    throw Error("expected ':'");
                }

                _pos++;
                if (result.ContainsKey(name))
                {
                    throw Error($"member '{name}' appears twice");
                }

                result[name] = ParseValue();
                SkipWhitespace();
                char c = Peek();
                _pos++;
                if (c == '}')
                {
                    return result;
                }

                if (c != ',')
                {
                    _pos--;
                    throw Error("expected ',' or '}'");
                }
            }
        }

        private List<object?> ParseArray()
        {
            var result = new List<object?>();
            _pos++;
            SkipWhitespace();
            if (Peek() == ']')
            {
                _pos++;
                return result;
            }

            while (true)
            {
                result.Add(ParseValue());
                SkipWhitespace();
                char c = Peek();
                _pos++;
                if (c == ']')
                {
                    return result;
                }

                if (c != ',')
                {
                    _pos--;
                    throw Error("expected ',' or ']'");
                }
            }
        }

        private string ParseString()
        {
            var sb = new StringBuilder();
            _pos++;
            while (true)
            {
                if (_pos >= _text.Length)
                {
                    throw Error("unterminated string");
                }

                char c = _text[_pos++];
                if (c == '"')
                {
                    return sb.ToString();
                }

                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }

                if (_pos >= _text.Length)
                {
                    throw Error("unterminated string");
                }

                char e = _text[_pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 > _text.Length || !int.TryParse(_text.Substring(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                        {
                            throw Error("invalid \\u escape");
                        }

                        sb.Append((char)code);
                        _pos += 4;
                        break;
                    default:
                        throw Error($"invalid escape '\\{e}'");
                }
            }
        }

        private object ParseNumber()
        {
            int start = _pos;
            if (Peek() == '-')
            {
                _pos++;
            }

            while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] is '.' or 'e' or 'E' or '+' or '-'))
            {
                _pos++;
            }

            string number = _text.Substring(start, _pos - start);
            if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
            {
                return l;
            }

            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            {
                return d;
            }

            throw Error($"invalid number '{number}'");
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
            {
                throw Error($"expected '{word}'");
            }

            _pos += word.Length;
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private void SkipWhitespace()
        {
            while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\r' or '\n')
            {
                _pos++;
            }
        }

        private FormatException Error(string message)
        {
            int line = 1;
            int column = 1;
            for (int i = 0; i < _pos && i < _text.Length; i++)
            {
                if (_text[i] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }

            return new FormatException($"line {line}, column {column}: {message}");
        }
    }
}
