using System.Text.Json;
using Kappa.Hosting;
using Kappa.Lifecycle.Hosting;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Kappa.Log.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Tests;

/// <summary><c>dotnet run -- kappa verify ...</c> of a processor with Confluent-framed outputs: the host's schema registry is used.</summary>
public sealed class FramedHostCommandTests
{
    [Fact]
    public void TheHostVerifiesAFramedVersionWithItsSchemaRegistryAndFailsClearlyWithoutOne()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        EmbeddedSchemaRegistry registry = FramedVerifyTests.Registry(transport);
        Sales.Produce(transport.Transport, 0, 120);
        RunToEnd.Run(new FramedAmountsV1(), transport.Transport, registry);
        RunToEnd.Run(new FramedAmountsV3(), transport.Transport, registry);
        FramedVerifyTests.Serve(new KappaLifecycle(transport.Transport), FramedAmountsV1.KappaDescriptor);

        // The container's registry (AddSchemaRegistry, handed to the host's KappaLifecycle; the host does not run v3 itself), with --json.
        using (IHost host = Build(transport, b => b.AddSchemaRegistry(_ => registry)))
        {
            var output = new StringWriter();
            Assert.Equal(0, host.RunKappaCommand(["kappa", "verify", "framed-amounts", "3", "--json"], output));
            JsonElement result = JsonDocument.Parse(output.ToString()).RootElement;
            Assert.True(result.GetProperty("deterministic").GetBoolean());
            Assert.Equal(1, result.GetProperty("comparedWith").GetInt32());
            JsonElement diff = Assert.Single(result.GetProperty("diffs").EnumerateArray());
            Assert.Equal("values", diff.GetProperty("comparison").GetString());
            Assert.Equal(50, diff.GetProperty("changed").GetInt64());
            Assert.Equal(0, diff.GetProperty("equal").GetInt64());
            Assert.Equal(0, diff.GetProperty("unreadable").GetInt64());
            JsonElement first = diff.GetProperty("changedValues")[0];
            Assert.Equal("c000", first.GetProperty("key").GetString());
            Assert.Equal("""{"Amount":100,"Customer":"c000"}""", first.GetProperty("old").GetString());
            Assert.Equal("""{"Amount":10000,"Customer":"c000","Note":"cents"}""", first.GetProperty("new").GetString());
        }

        // The processor's own ProcessorOptions.SchemaRegistry, as text.
        using (IHost host = Build(transport, b => b.AddFramedAmountsV3(o => o.SchemaRegistry = registry)))
        {
            var output = new StringWriter();
            Assert.Equal(0, host.RunKappaCommand(["kappa", "verify", "framed-amounts", "3"], output));
            string text = output.ToString();
            Assert.Contains("framed-amounts.v3: deterministic over 120 records", text, StringComparison.Ordinal);
            Assert.Contains("framed-customer-amounts vs v1 (by decoded values): 0 equal, 50 changed, 0 only in v3, 0 only in v1", text, StringComparison.Ordinal);
            Assert.Contains("""c000: v1 {"Amount":100,"Customer":"c000"}""", text, StringComparison.Ordinal);
            Assert.Contains("""v3 {"Amount":10000,"Customer":"c000","Note":"cents"}""", text, StringComparison.Ordinal);
        }

        // No registry anywhere: exit 1, naming the processor and how to configure one.
        using (IHost host = Build(transport, b => b))
        {
            var output = new StringWriter();
            Assert.Equal(1, host.RunKappaCommand(["kappa", "verify", "framed-amounts", "3", "--json"], output));
            JsonElement error = JsonDocument.Parse(output.ToString()).RootElement;
            Assert.Equal("error", error.GetProperty("error").GetString());
            Assert.Equal(1, error.GetProperty("exitCode").GetInt32());
            string message = error.GetProperty("message").GetString()!;
            Assert.Contains("framed-amounts.v3 needs a schema registry", message, StringComparison.Ordinal);
            Assert.Contains("AddSchemaRegistry", message, StringComparison.Ordinal);
        }
    }

    private static IHost Build(TestTransport transport, Func<KappaBuilder, KappaBuilder> configure)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        configure(builder.Services.AddKappa(_ => new NonOwningTransport(transport.Transport)))
            .AddLifecycle(_ => null, o => o.Verify(() => new FramedAmountsV3()));
        return builder.Build();
    }
}
