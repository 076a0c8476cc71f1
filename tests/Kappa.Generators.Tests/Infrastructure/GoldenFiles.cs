using System.Runtime.CompilerServices;

namespace Kappa.Generators.Tests.Infrastructure;

/// <summary>
/// Golden files for generated code: expected output lives in tests/Kappa.Generators.Tests/Baselines/{test}/{hint}.txt.
/// A difference fails the test and prints a line diff. Set KAPPA_UPDATE_BASELINES=1 to rewrite the baselines on purpose.
/// </summary>
public static class GoldenFiles
{
    public const string UpdateVariable = "KAPPA_UPDATE_BASELINES";

    public static void Verify(GeneratorRunner.Result result, string scenario, [CallerFilePath] string callerPath = "")
    {
        string dir = Path.Combine(Path.GetDirectoryName(callerPath)!, "Baselines", scenario);
        bool update = Environment.GetEnvironmentVariable(UpdateVariable) == "1";
        var generated = result.GeneratedSources;
        Assert.NotEmpty(generated);
        if (update)
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            Directory.CreateDirectory(dir);
        }

        var problems = new List<string>();
        foreach (var (hint, source) in generated)
        {
            string path = Path.Combine(dir, hint + ".txt");
            if (update)
            {
                File.WriteAllText(path, source);
                continue;
            }

            if (!File.Exists(path))
            {
                problems.Add($"Missing baseline {path} (run with {UpdateVariable}=1 to create it).");
                continue;
            }

            string expected = File.ReadAllText(path).Replace("\r\n", "\n");
            if (expected != source)
            {
                problems.Add($"{hint} differs from {path}:\n{Diff(expected, source)}");
            }
        }

        if (!update && Directory.Exists(dir))
        {
            foreach (string file in Directory.GetFiles(dir, "*.txt"))
            {
                string hint = Path.GetFileNameWithoutExtension(file);
                if (!generated.Any(g => g.HintName == hint))
                {
                    problems.Add($"Baseline {file} has no generated file any more.");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(string.Join("\n\n", problems) + $"\n\nIf the change is intended, rerun with {UpdateVariable}=1 and review the diff.");
        }
    }

    private static string Diff(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        var lines = new List<string>();
        int max = Math.Max(a.Length, b.Length);
        for (int i = 0; i < max && lines.Count < 40; i++)
        {
            string? x = i < a.Length ? a[i] : null;
            string? y = i < b.Length ? b[i] : null;
            if (x != y)
            {
                lines.Add($"line {i + 1}:");
                if (x is not null)
                {
                    lines.Add("- " + x);
                }

                if (y is not null)
                {
                    lines.Add("+ " + y);
                }
            }
        }

        return string.Join("\n", lines);
    }
}
