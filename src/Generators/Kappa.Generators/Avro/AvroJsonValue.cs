using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Kappa.Generators.Avro;

/// <summary>
/// A parsed JSON value (RFC 8259) for checking Avro defaults at build time: numbers keep their source text, objects
/// their member order. <see cref="Parse"/> is strict and says where the text stops being JSON; <see cref="Write"/>
/// writes compact JSON with every non-ASCII or control character escaped, so it sits safely in a schema literal.
/// </summary>
internal sealed class AvroJsonValue
{
    private AvroJsonValue(AvroJsonKind kind, string text = "", List<AvroJsonValue>? items = null, List<KeyValuePair<string, AvroJsonValue>>? members = null)
    {
        Kind = kind;
        Text = text;
        Items = items ?? new List<AvroJsonValue>();
        Members = members ?? new List<KeyValuePair<string, AvroJsonValue>>();
    }

    public AvroJsonKind Kind { get; }

    /// <summary>A string's value or a number's source text.</summary>
    public string Text { get; }

    public List<AvroJsonValue> Items { get; }

    public List<KeyValuePair<string, AvroJsonValue>> Members { get; }

    public bool IsInteger => Kind == AvroJsonKind.Number && Text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;

    public static AvroJsonValue Null { get; } = new(AvroJsonKind.Null);

    public static AvroJsonValue String(string value) => new(AvroJsonKind.String, value);

    public static AvroJsonValue Number(string text) => new(AvroJsonKind.Number, text);

    public static AvroJsonValue Boolean(bool value) => new(value ? AvroJsonKind.True : AvroJsonKind.False);

    public static AvroJsonValue Array(List<AvroJsonValue> items) => new(AvroJsonKind.Array, items: items);

    public static AvroJsonValue Object(List<KeyValuePair<string, AvroJsonValue>> members) => new(AvroJsonKind.Object, members: members);

    /// <summary>Parses <paramref name="json"/>; returns null and sets <paramref name="error"/> when it is not one JSON value.</summary>
    public static AvroJsonValue? Parse(string json, out string? error)
    {
        var parser = new JsonParser(json);
        try
        {
            AvroJsonValue value = parser.ParseValue(0);
            parser.SkipWhitespace();
            if (parser.Position != json.Length)
            {
                throw parser.Fail("unexpected text after the value");
            }

            error = null;
            return value;
        }
        catch (JsonError e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>Compact JSON text of the value.</summary>
    public string Write()
    {
        var builder = new StringBuilder();
        Write(builder);
        return builder.ToString();
    }

    public void Write(StringBuilder builder)
    {
        switch (Kind)
        {
            case AvroJsonKind.Null:
                builder.Append("null");
                break;
            case AvroJsonKind.True:
                builder.Append("true");
                break;
            case AvroJsonKind.False:
                builder.Append("false");
                break;
            case AvroJsonKind.Number:
                builder.Append(Text);
                break;
            case AvroJsonKind.String:
                WriteString(builder, Text);
                break;
            case AvroJsonKind.Array:
                builder.Append('[');
                for (int i = 0; i < Items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Items[i].Write(builder);
                }

                builder.Append(']');
                break;
            default:
                builder.Append('{');
                for (int i = 0; i < Members.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    WriteString(builder, Members[i].Key);
                    builder.Append(':');
                    Members[i].Value.Write(builder);
                }

                builder.Append('}');
                break;
        }
    }

    /// <summary>A JSON string literal; quotes, backslashes, control and non-ASCII characters escaped (\uXXXX).</summary>
    public static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (char c in value)
        {
            if (c == '"' || c == '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c < 0x20 || c > 0x7E)
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append('"');
    }

    private sealed class JsonError : System.Exception
    {
        public JsonError(string message)
            : base(message)
        {
        }
    }

    private sealed class JsonParser
    {
        private const int MaxDepth = 64;
        private readonly string _text;

        public JsonParser(string text)
        {
            _text = text;
        }

        public int Position { get; private set; }

        public JsonError Fail(string reason) => new($"not valid JSON at character {Position + 1}: {reason}");

        public void SkipWhitespace()
        {
            while (Position < _text.Length && _text[Position] is ' ' or '\t' or '\n' or '\r')
            {
                Position++;
            }
        }

        public AvroJsonValue ParseValue(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Fail("nested too deeply");
            }

            SkipWhitespace();
            if (Position >= _text.Length)
            {
                throw Fail("expected a value, found the end of the text");
            }

            char c = _text[Position];
            switch (c)
            {
                case '{':
                    return ParseObject(depth);
                case '[':
                    return ParseArray(depth);
                case '"':
                    return String(ParseString());
                case 't':
                    Literal("true");
                    return Boolean(true);
                case 'f':
                    Literal("false");
                    return Boolean(false);
                case 'n':
                    Literal("null");
                    return Null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ParseNumber();
                    }

                    throw Fail($"unexpected character '{c}'");
            }
        }

        private void Literal(string word)
        {
            if (string.CompareOrdinal(_text, Position, word, 0, word.Length) != 0)
            {
                throw Fail($"expected '{word}'");
            }

            Position += word.Length;
        }

        private AvroJsonValue ParseObject(int depth)
        {
            Position++;
            var members = new List<KeyValuePair<string, AvroJsonValue>>();
            SkipWhitespace();
            if (Position < _text.Length && _text[Position] == '}')
            {
                Position++;
                return Object(members);
            }

            while (true)
            {
                SkipWhitespace();
                if (Position >= _text.Length || _text[Position] != '"')
                {
                    throw Fail("expected a member name in double quotes");
                }

                string name = ParseString();
                foreach (var existing in members)
                {
                    if (existing.Key == name)
                    {
                        throw Fail($"member \"{name}\" appears twice");
                    }
                }

                SkipWhitespace();
                Expect(':');
                members.Add(new KeyValuePair<string, AvroJsonValue>(name, ParseValue(depth + 1)));
                SkipWhitespace();
                if (Position < _text.Length && _text[Position] == ',')
                {
                    Position++;
                    continue;
                }

                Expect('}');
                return Object(members);
            }
        }

        private AvroJsonValue ParseArray(int depth)
        {
            Position++;
            var items = new List<AvroJsonValue>();
            SkipWhitespace();
            if (Position < _text.Length && _text[Position] == ']')
            {
                Position++;
                return Array(items);
            }

            while (true)
            {
                items.Add(ParseValue(depth + 1));
                SkipWhitespace();
                if (Position < _text.Length && _text[Position] == ',')
                {
                    Position++;
                    continue;
                }

                Expect(']');
                return Array(items);
            }
        }

        private void Expect(char c)
        {
            if (Position >= _text.Length || _text[Position] != c)
            {
                throw Fail($"expected '{c}'");
            }

            Position++;
        }

        private string ParseString()
        {
            Position++;
            var builder = new StringBuilder();
            while (true)
            {
                if (Position >= _text.Length)
                {
                    throw Fail("the string is not closed");
                }

                char c = _text[Position++];
                if (c == '"')
                {
                    return builder.ToString();
                }

                if (c < 0x20)
                {
                    throw Fail("control character in a string (escape it)");
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                if (Position >= _text.Length)
                {
                    throw Fail("the string is not closed");
                }

                char e = _text[Position++];
                switch (e)
                {
                    case '"':
                    case '\\':
                    case '/':
                        builder.Append(e);
                        break;
                    case 'b':
                        builder.Append('\b');
                        break;
                    case 'f':
                        builder.Append('\f');
                        break;
                    case 'n':
                        builder.Append('\n');
                        break;
                    case 'r':
                        builder.Append('\r');
                        break;
                    case 't':
                        builder.Append('\t');
                        break;
                    case 'u':
                        if (Position + 4 > _text.Length || !int.TryParse(_text.Substring(Position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                        {
                            throw Fail("\\u needs four hex digits");
                        }

                        builder.Append((char)code);
                        Position += 4;
                        break;
                    default:
                        throw Fail($"unknown escape '\\{e}'");
                }
            }
        }

        private AvroJsonValue ParseNumber()
        {
            int start = Position;
            if (_text[Position] == '-')
            {
                Position++;
            }

            if (Position < _text.Length && _text[Position] == '0')
            {
                Position++;
            }
            else if (!Digits())
            {
                throw Fail("expected a digit");
            }

            if (Position < _text.Length && _text[Position] == '.')
            {
                Position++;
                if (!Digits())
                {
                    throw Fail("expected a digit after the decimal point");
                }
            }

            if (Position < _text.Length && _text[Position] is 'e' or 'E')
            {
                Position++;
                if (Position < _text.Length && _text[Position] is '+' or '-')
                {
                    Position++;
                }

                if (!Digits())
                {
                    throw Fail("expected a digit in the exponent");
                }
            }

            return Number(_text.Substring(start, Position - start));
        }

        private bool Digits()
        {
            int start = Position;
            while (Position < _text.Length && _text[Position] >= '0' && _text[Position] <= '9')
            {
                Position++;
            }

            return Position > start;
        }
    }
}

/// <summary>The kinds of <see cref="AvroJsonValue"/>.</summary>
internal enum AvroJsonKind
{
    Null,
    True,
    False,
    Number,
    String,
    Array,
    Object,
}
