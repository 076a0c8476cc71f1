using Kappa.Avro.Registry;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests.Infrastructure;

/// <summary>Runs one processor version (no sink writer) on a thread until it has committed every input record, then stops it.</summary>
public static class RunToEnd
{
    public static void Run<TProcessor>(TProcessor processor, IKappaTransport transport, ISchemaRegistry? registry)
        where TProcessor : class, IStreamProcessor<TProcessor>
    {
        var runner = ProcessorRunner.Create(processor, transport, new ProcessorOptions { InstanceId = "test", SchemaRegistry = registry });
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                runner.Run(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception error)
            {
                failure = error;
            }
        })
        { IsBackground = true, Name = "processor " + runner.Descriptor.Id };
        thread.Start();
        try
        {
            var artifacts = VersionArtifacts.From(TProcessor.KappaDescriptor);
            Wait.Until(
                () => LifecycleStatusReader.Measure(transport, artifacts).Sum(p => p.Lag),
                lag => lag == 0,
                $"{runner.Descriptor.Id} has processed its inputs",
                check: () =>
                {
                    if (failure is not null)
                    {
                        throw new InvalidOperationException($"{runner.Descriptor.Id} failed: {failure.Message}", failure);
                    }
                });
        }
        finally
        {
            stop.Cancel();
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), $"{runner.Descriptor.Id} did not stop");
        }

        Assert.Null(failure);
    }
}
