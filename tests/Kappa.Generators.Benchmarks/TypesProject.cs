using System.Globalization;
using System.Text;

namespace Kappa.Generators.Benchmarks;

/// <summary>
/// A generated project of <c>types</c> types, one per file, in groups of four: two [AvroRecord] records (a wide one
/// with scalars, decimals, timestamps, nullables, collections and an enum, and one holding a list of the first), a
/// [ProcessorState] class, and a [StreamProcessor] that reads the first record, keeps that state and writes the second.
/// </summary>
public static class TypesProject
{
    public static IReadOnlyList<string> Generate(int types)
    {
        if (types <= 0 || types % 4 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(types), types, "The project is made of groups of four types: use a positive multiple of 4.");
        }

        var files = new List<string>(types);
        for (int g = 0; g < types / 4; g++)
        {
            string n = g.ToString(CultureInfo.InvariantCulture);
            files.Add(Wide(n));
            files.Add(Holder(n));
            files.Add(State(n));
            files.Add(Processor(n));
        }

        return files;
    }

    private static string Wide(string n) => new StringBuilder()
        .AppendLine("using Kappa;")
        .AppendLine("namespace Bench;")
        .AppendLine($"public enum Status{n} {{ New, Paid, Shipped, Cancelled }}")
        .AppendLine("[AvroRecord(Namespace = \"bench\")]")
        .AppendLine($"public partial record Wide{n}(")
        .AppendLine("    string Id, int Count, long At, double Ratio, bool Flag,")
        .AppendLine("    [AvroDecimal(18, 2)] decimal Amount, DateTimeOffset When, Guid Key,")
        .AppendLine("    string? Note, int? Maybe, List<string> Tags, Dictionary<string, long> Totals,")
        .AppendLine($"    Status{n} Status, byte[] Payload, int[][] Grid);")
        .ToString();

    private static string Holder(string n) => new StringBuilder()
        .AppendLine("using Kappa;")
        .AppendLine("namespace Bench;")
        .AppendLine("[AvroRecord(Namespace = \"bench\")]")
        .AppendLine($"public partial record Holder{n}(string Id, List<Wide{n}> Items, Wide{n}? Last, IReadOnlyDictionary<string, Wide{n}> ByKey);")
        .ToString();

    private static string State(string n) => new StringBuilder()
        .AppendLine("using Kappa;")
        .AppendLine("namespace Bench;")
        .AppendLine("[ProcessorState]")
        .AppendLine($"public partial class State{n}")
        .AppendLine("{")
        .AppendLine("    public long Count;")
        .AppendLine("    public decimal Total;")
        .AppendLine("    public string Name = \"\";")
        .AppendLine("    public int? Last;")
        .AppendLine("    public List<long> History = new();")
        .AppendLine("    public Dictionary<string, int> ByKey = new();")
        .AppendLine("}")
        .ToString();

    private static string Processor(string n) => new StringBuilder()
        .AppendLine("using Kappa;")
        .AppendLine("using Kappa.State;")
        .AppendLine("namespace Bench;")
        .AppendLine($"[StreamProcessor(\"p{n}\", Version = 1)]")
        .AppendLine($"public partial class Processor{n}")
        .AppendLine("{")
        .AppendLine($"    [Consume(\"in{n}\")]")
        .AppendLine($"    [Output(\"out{n}\")]")
        .AppendLine($"    public Holder{n}? Handle(Wide{n} input, [StateStore(\"totals\")] ref State{n}? state, RecordContext ctx)")
        .AppendLine("    {")
        .AppendLine($"        state ??= new State{n}();")
        .AppendLine("        state.Count++;")
        .AppendLine($"        return input.Count > 0 ? new Holder{n}(input.Id, new List<Wide{n}> {{ input }}, input, new Dictionary<string, Wide{n}>()) : null;")
        .AppendLine("    }")
        .AppendLine("")
        .AppendLine($"    [Consume(\"more{n}\")]")
        .AppendLine($"    [Output(\"fan{n}\")]")
        .AppendLine($"    public IEnumerable<Holder{n}> Fan(Holder{n} input) => new[] {{ input, input }};")
        .AppendLine("}")
        .ToString();
}
