using System.Text;

namespace Kappa.Generators.Avro.History;

/// <summary>Lines of C# with four-space indentation (the generated resolving decoders' bodies).</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();

    public CodeWriter(int level = 0)
    {
        Level = level;
    }

    public int Level { get; private set; }

    public void Line(string line) => _text.Append(' ', Level * 4).Append(line).Append('\n');

    public void Open()
    {
        Line("{");
        Level++;
    }

    public void Close(string closing = "}")
    {
        Level--;
        Line(closing);
    }

    public void Indent() => Level++;

    public void Outdent() => Level--;

    /// <summary>Appends text already indented (lines another writer wrote).</summary>
    public void Raw(string text) => _text.Append(text);

    public override string ToString() => _text.ToString();
}
