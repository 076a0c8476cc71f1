using System;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Scriban.Runtime;

namespace Kappa.Generators.Common.Templates;

/// <summary>
/// The C# helpers every template may call (snake_case in templates: <c>indent</c>, <c>literal</c>, ...): small, pure
/// text functions that Scriban's built-ins do not offer. Shared read-only by all renders.
/// </summary>
internal static class TemplateFunctions
{
    public static readonly ScriptObject Instance = Create();

    private static ScriptObject Create()
    {
        var functions = new ScriptObject();
        functions.Import(typeof(TemplateFunctions), ScriptMemberImportFlags.Method);
        functions.IsReadOnly = true;
        return functions;
    }

    /// <summary>Indents every non-empty line of <paramref name="text"/> by <paramref name="levels"/> times four spaces.</summary>
    public static string Indent(string? text, int levels)
    {
        if (string.IsNullOrEmpty(text) || levels <= 0)
        {
            return text ?? string.Empty;
        }

        string pad = new(' ', levels * 4);
        var builder = new StringBuilder(text!.Length + 64);
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            int stop = end < 0 ? text.Length : end;
            if (stop > start)
            {
                builder.Append(pad).Append(text, start, stop - start);
            }

            if (end < 0)
            {
                break;
            }

            builder.Append('\n');
            start = end + 1;
        }

        return builder.ToString();
    }

    /// <summary>A C# string literal escaping quotes, backslashes and control characters (\n and \r by name).</summary>
    public static string Literal(string value) => Quote(value, asciiOnly: false);

    /// <summary>A C# string literal in printable ASCII only: every other character becomes a \u escape.</summary>
    public static string AsciiLiteral(string value) => Quote(value, asciiOnly: true);

    private static string Quote(string value, bool asciiOnly)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (char c in value)
        {
            if (c == '"')
            {
                builder.Append("\\\"");
            }
            else if (c == '\\')
            {
                builder.Append("\\\\");
            }
            else if (c == '\n' && !asciiOnly)
            {
                builder.Append("\\n");
            }
            else if (c == '\r' && !asciiOnly)
            {
                builder.Append("\\r");
            }
            else if (c < ' ' || (asciiOnly && c > '~'))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary><paramref name="name"/> as a C# identifier: keywords get an @ prefix.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>The type name without its trailing nullable annotation ("int?" gives "int").</summary>
    public static string NonNullable(string typeName) =>
        typeName.EndsWith("?", StringComparison.Ordinal) ? typeName.Substring(0, typeName.Length - 1) : typeName;

    /// <summary>A fully qualified type name without its leading <c>global::</c> (for messages).</summary>
    public static string DisplayName(string typeName) =>
        typeName.StartsWith("global::", StringComparison.Ordinal) ? typeName.Substring(8) : typeName;

    /// <summary>The lines of <paramref name="text"/> without its trailing newlines (empty lines kept).</summary>
    public static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');

    /// <summary>XML-escapes text for a doc comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>"new T[n]" for an item type that may itself be an array ("int[]" gives "new int[n][]").</summary>
    public static string ArrayOf(string itemType, string length)
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
}
