using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Benchmarks;

/// <summary>
/// "--check": Base and Current generators run interleaved in one process, full and after a one-line edit; for each the
/// minimum wall time and minimum process CPU time over the rounds (on a shared, loaded machine the minimum is the least
/// disturbed figure), and the bytes allocated on the calling thread. Ratios are Current / Base of the same run.
/// </summary>
public static class QuickCheck
{
    public static void Run(int rounds)
    {
        Console.WriteLine($"min of {rounds.ToString(CultureInfo.InvariantCulture)} interleaved rounds; ratio = Current / Base");
        Console.WriteLine("| Project | Run | Base wall | Current wall | Ratio | Base CPU | Current CPU | Ratio | Base alloc | Current alloc |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string project in new[] { "Sample", "Types100" })
        {
            var compilation = BenchmarkProjects.Compile(project);
            var edited = BenchmarkProjects.WithOneLineEdit(compilation);
            var sets = new[] { "Base", "Current" }.Select(GeneratorSet.Load).ToArray();
            var warm = sets.Select(g => BenchmarkProjects.CreateDriver(g).RunGenerators(compilation)).ToArray();
            var full = new Measurement[2];
            var edit = new Measurement[2];
            for (int i = 0; i < 2; i++)
            {
                full[i] = new Measurement();
                edit[i] = new Measurement();
            }

            for (int round = 0; round < rounds + 3; round++)
            {
                bool record = round >= 3; // three warm-up rounds
                for (int i = 0; i < 2; i++)
                {
                    IIncrementalGenerator[] generators = sets[i];
                    full[i].Measure(() => BenchmarkProjects.CreateDriver(generators).RunGenerators(compilation), record);
                    GeneratorDriver driver = warm[i];
                    edit[i].Measure(() => driver.RunGenerators(edited), record);
                }
            }

            Print(project, "Full", full);
            Print(project, "OneLineEdit", edit);
        }
    }

    private static void Print(string project, string run, Measurement[] m) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {project} | {run} | {m[0].Wall:F2} ms | {m[1].Wall:F2} ms | {m[1].Wall / m[0].Wall:F2} | {m[0].Cpu:F1} ms | {m[1].Cpu:F1} ms | {m[1].Cpu / m[0].Cpu:F2} | {m[0].Allocated / 1024.0:F0} KB | {m[1].Allocated / 1024.0:F0} KB |"));

    private sealed class Measurement
    {
        public double Wall { get; private set; } = double.MaxValue;

        public double Cpu { get; private set; } = double.MaxValue;

        public long Allocated { get; private set; } = long.MaxValue;

        public void Measure(Func<GeneratorDriver> action, bool record)
        {
            using var process = Process.GetCurrentProcess();
            TimeSpan cpuStart = process.TotalProcessorTime;
            long allocStart = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(action());
            watch.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocStart;
            process.Refresh();
            double cpu = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
            if (record)
            {
                Wall = Math.Min(Wall, watch.Elapsed.TotalMilliseconds);
                Cpu = Math.Min(Cpu, cpu);
                Allocated = Math.Min(Allocated, allocated);
            }
        }
    }
}
