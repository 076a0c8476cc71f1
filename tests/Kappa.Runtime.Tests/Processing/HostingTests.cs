using Kappa.Hosting;
using Kappa.Processing;
using Kappa.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Runtime.Tests.Processing;

public class HostingTests
{
    [Fact]
    public async Task A_registered_processor_runs_in_the_host_and_stops_cleanly()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 2);
        transport.AppendOrder(0, "o-1", 1, "eu", 1);
        transport.AppendOrder(1, "o-2", 2, "us", 2);

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddKappa(_ => transport)
            .AddEnrichOrders(options => options.PollTimeout = TimeSpan.FromMilliseconds(10));
        using (IHost host = builder.Build())
        {
            var service = Assert.Single(host.Services.GetServices<IHostedService>().OfType<StreamProcessorService>());
            Assert.Equal("enrich-orders.v1", service.Runner.Descriptor.Id);

            await host.StartAsync();
            ProcessorTestKit.WaitUntil(() => transport.CommittedOffset("enrich-orders.v1", "orders", 1) == 1 && transport.CommittedOffset("enrich-orders.v1", "orders", 0) == 1, "both input records are committed");

            // Records arriving while it runs are processed too.
            transport.AppendOrder(0, "o-3", 3, "eu", 3);
            ProcessorTestKit.WaitUntil(() => transport.CommittedOffset("enrich-orders.v1", "orders", 0) == 2, "the late record is committed");

            await host.StopAsync();
            Assert.Equal(1, transport.ClosedConsumers);
            Assert.Equal(3, transport.Read("enriched-orders.v1").Count);
            Assert.Equal(3, service.Runner.RecordsProcessed);
            Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
        }

        Assert.True(transport.Disposed, "The container owns the transport and disposes it with the host.");
    }

    [Fact]
    public void Processors_get_their_constructor_arguments_from_the_container_or_the_container_instance()
    {
        var transport = new InMemoryTransport();
        var services = new ServiceCollection();
        var registered = new EnrichOrders();
        services.AddSingleton(registered);
        services.AddKappa(_ => transport).AddEnrichOrders().AddSplitOrders();
        using ServiceProvider provider = services.BuildServiceProvider();

        var runners = provider.GetServices<IHostedService>().OfType<StreamProcessorService>().Select(s => s.Runner.Descriptor.Id).OrderBy(x => x, StringComparer.Ordinal);
        Assert.Equal(["enrich-orders.v1", "split-orders.v2"], runners);
        Assert.Equal(["enrich-orders.v1", "split-orders.v2"], provider.GetRequiredService<KappaBuilder>().Processors.OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void Registering_one_processor_version_twice_is_an_error()
    {
        var services = new ServiceCollection();
        var kappa = services.AddKappa(_ => new InMemoryTransport()).AddEnrichOrders();
        var error = Assert.Throws<InvalidOperationException>(() => services.AddKappa().AddEnrichOrders());
        Assert.Contains("enrich-orders.v1", error.Message, StringComparison.Ordinal);
        Assert.Same(kappa, services.AddKappa());
    }

    [Fact]
    public void A_processor_without_a_transport_fails_with_a_clear_message()
    {
        var services = new ServiceCollection();
        services.AddKappa().AddEnrichOrders();
        using ServiceProvider provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetServices<IHostedService>().ToList());
        Assert.Contains("AddKappa(sp => transport)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_faulted_processor_fails_its_hosted_service()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.AppendOrder(0, "o-1", 1, "boom", 1);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        builder.Services.AddKappa(_ => transport).AddEnrichOrders(options => options.PollTimeout = TimeSpan.FromMilliseconds(10));
        using IHost host = builder.Build();
        var service = host.Services.GetServices<IHostedService>().OfType<StreamProcessorService>().Single();

        await host.StartAsync();
        ProcessorTestKit.WaitUntil(() => service.ExecuteTask!.IsCompleted, "the processor stops");
        var error = Assert.IsType<ProcessorFaultedException>(service.ExecuteTask!.Exception!.InnerException);
        Assert.Equal(0, error.Offset);
        Assert.Null(transport.CommittedOffset("enrich-orders.v1", "orders", 0));
        await host.StopAsync();
    }
}
