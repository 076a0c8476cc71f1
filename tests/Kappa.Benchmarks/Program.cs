using BenchmarkDotNet.Running;
using Kappa.Benchmarks.Kafka;

if (args.Length > 0 && args[0] == "typed-harness")
{
    TypedConsumeHarness.Run(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
