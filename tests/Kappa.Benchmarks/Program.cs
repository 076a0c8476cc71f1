using BenchmarkDotNet.Running;
using Kappa.Benchmarks.Kafka;
using Kappa.Benchmarks.Lifecycle;

if (args.Length > 0 && args[0] == "typed-harness")
{
    TypedConsumeHarness.Run(args);
    return 0;
}

if (args.Length > 0 && args[0] == "switch-latency")
{
    return ViewSwitchLatency.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
