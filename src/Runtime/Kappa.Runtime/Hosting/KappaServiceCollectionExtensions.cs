using Kappa.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kappa.Hosting;

/// <summary>Registers Kappa with Microsoft.Extensions.DependencyInjection / Hosting.</summary>
public static class KappaServiceCollectionExtensions
{
    /// <summary>
    /// Adds Kappa with the transport the processors run on (the embedded log, Kafka, or any other
    /// <see cref="IKappaTransport"/>). The container owns the transport and disposes it. Add processors to the returned
    /// builder with their generated <c>Add{Processor}()</c> methods.
    /// </summary>
    public static KappaBuilder AddKappa(this IServiceCollection services, Func<IServiceProvider, IKappaTransport> transportFactory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(transportFactory);
        services.Replace(ServiceDescriptor.Singleton(transportFactory));
        return GetBuilder(services);
    }

    /// <summary>The builder of a collection Kappa was already added to (to add processors in another place).</summary>
    public static KappaBuilder AddKappa(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return GetBuilder(services);
    }

    private static KappaBuilder GetBuilder(IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(KappaBuilder) && descriptor.ImplementationInstance is KappaBuilder existing)
            {
                return existing;
            }
        }

        var builder = new KappaBuilder(services);
        services.AddSingleton(builder);
        return builder;
    }
}
