using System.Globalization;
using System.Text;

namespace Kappa.Analyzers.Benchmarks;

/// <summary>
/// Generates a processor project of a given size: <c>processors</c> stream processors with <c>handlersPerProcessor</c>
/// handlers each, and helper classes so that the total is <c>methods</c> methods. Every handler reaches a tree of helpers
/// (some shared between processors); one helper in ten contains each kind of determinism violation (wall clock, hash-set
/// iteration, hash set behind an interface, culture-sensitive ToString, implicit culture in a concatenation), the rest is
/// ordinary business code (LINQ, invariant formatting, dictionary lookups, records).
/// </summary>
public static class ProcessorProjectGenerator
{
    public static IReadOnlyList<string> Generate(int methods, int processors = 10, int handlersPerProcessor = 5)
    {
        int handlers = processors * handlersPerProcessor;
        int helpers = methods - handlers;
        if (helpers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(methods), methods, $"{methods} methods cannot hold {handlers} handlers and at least one helper.");
        }

        var files = new List<string>();
        var model = new StringBuilder();
        model.AppendLine("namespace Bench;");
        model.AppendLine("public sealed record Order(string Id, string Customer, IReadOnlyList<string> Skus, decimal Amount, long AtMs);");
        model.AppendLine("public sealed record Result(string Id, string Text, decimal Total);");
        files.Add(model.ToString());

        const int helpersPerClass = 10;
        int classes = (helpers + helpersPerClass - 1) / helpersPerClass;
        int index = 0;
        for (int c = 0; c < classes; c++)
        {
            var sb = new StringBuilder();
            sb.AppendLine("using System.Globalization;");
            sb.AppendLine("namespace Bench;");
            sb.AppendLine($"public static class Helpers{c}");
            sb.AppendLine("{");
            sb.AppendLine("    private static readonly Dictionary<string, decimal> Prices = new(StringComparer.Ordinal) { [\"a\"] = 1m, [\"b\"] = 2m };");
            for (int m = 0; m < helpersPerClass && index < helpers; m++, index++)
            {
                // Each helper calls the next two (a tree), so the call graph from a handler is deep and shared.
                string next1 = Callee(index * 2 + 1, helpers, helpersPerClass);
                string next2 = Callee(index * 2 + 2, helpers, helpersPerClass);
                sb.AppendLine($"    public static decimal H{index}(Order o, int depth)");
                sb.AppendLine("    {");
                sb.AppendLine("        decimal sum = o.Skus.Where(s => s.Length > 0).Select(s => Prices.TryGetValue(s, out var p) ? p : 0m).Sum();");
                sb.AppendLine("        string label = string.Create(CultureInfo.InvariantCulture, $\"{o.Id}:{sum:F2}\");");
                sb.AppendLine("        var sorted = o.Skus.OrderBy(s => s, StringComparer.Ordinal).ToList();");
                sb.AppendLine(Violation(index));
                sb.AppendLine($"        if (depth > 0) {{ sum += {next1}(o, depth - 1) + {next2}(o, depth - 1); }}");
                sb.AppendLine("        return sum + sorted.Count + label.Length;");
                sb.AppendLine("    }");
            }

            sb.AppendLine("}");
            files.Add(sb.ToString());
        }

        int h = 0;
        for (int p = 0; p < processors; p++)
        {
            var sb = new StringBuilder();
            sb.AppendLine("using System.Globalization;");
            sb.AppendLine("namespace Bench;");
            sb.AppendLine($"[Kappa.StreamProcessor(\"p{p}\", Version = 1)]");
            sb.AppendLine($"public partial class Processor{p}");
            sb.AppendLine("{");
            for (int k = 0; k < handlersPerProcessor; k++, h++)
            {
                string root = Callee((h * 7) % helpers, helpers, helpersPerClass);
                sb.AppendLine($"    [Kappa.Consume(\"in{k}\")]");
                sb.AppendLine($"    public Result Handle{k}(Order order, Kappa.RecordContext ctx)");
                sb.AppendLine("    {");
                sb.AppendLine($"        decimal total = {root}(order, 6);");
                sb.AppendLine("        return new Result(order.Id, total.ToString(\"F2\", CultureInfo.InvariantCulture) + ctx.Timestamp.ToString(\"O\"), total);");
                sb.AppendLine("    }");
            }

            sb.AppendLine("}");
            files.Add(sb.ToString());
        }

        return files;
    }

    private static string Callee(int i, int helpers, int perClass)
    {
        int target = i % helpers;
        return string.Create(CultureInfo.InvariantCulture, $"Helpers{target / perClass}.H{target}");
    }

    private static string Violation(int index) => (index % 10) switch
    {
        0 => "        _ = DateTime.UtcNow;",
        3 => "        foreach (var x in new HashSet<string>(o.Skus)) { label += x; }",
        6 => "        label += o.Amount.ToString();",
        8 => "        IEnumerable<string> seen = new HashSet<string>(o.Skus); foreach (var x in seen) { label += x; }",
        9 => "        label += \"amount \" + o.Amount;",
        _ => "        _ = o.Customer.StartsWith(\"vip\", StringComparison.Ordinal);",
    };
}
