using Kappa.Avro.Registry;
using Kappa.Hosting;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Hosting;

/// <summary>
/// The schema registry the host configured for one of its processor versions: its <see cref="Kappa.Processing.ProcessorOptions.SchemaRegistry"/>
/// (which, under hosting, defaults to the container's <see cref="ISchemaRegistry"/> from <c>AddSchemaRegistry</c>), or null
/// when the host does not run that version (verify then uses <see cref="KappaLifecycle.SchemaRegistry"/>, the container's).
/// </summary>
internal static class HostSchemaRegistry
{
    public static ISchemaRegistry? Of(IEnumerable<IHostedService> services, string id) =>
        services.OfType<StreamProcessorService>().FirstOrDefault(s => s.Runner.Descriptor.Id == id)?.Runner.SchemaRegistry;
}
