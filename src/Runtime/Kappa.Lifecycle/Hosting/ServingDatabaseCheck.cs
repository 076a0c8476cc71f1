using Kappa.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Hosting;

/// <summary>
/// Runs first when the host starts (AddLifecycle registers it ahead of every other hosted service) and refuses to start
/// the host when one of its sink writers writes to another database than the lifecycle's serving database: promote
/// switches all of a version's views in one transaction of that database, so every sink table must live there.
/// </summary>
internal sealed class ServingDatabaseCheck(IServiceProvider provider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (provider.GetRequiredService<KappaLifecycle>().Database is { } serving)
        {
            string[] elsewhere = provider.GetServices<IHostedService>()
                .OfType<ISinkWriterService>()
                .Where(w => !string.Equals(w.Database.Description, serving.Description, StringComparison.Ordinal))
                .Select(w => $"{w.Target.Table} ({w.Database.Description})")
                .ToArray();
            if (elsewhere.Length > 0)
            {
                throw new InvalidOperationException($"The lifecycle switches serving views in {serving.Description}, but sink writer(s) {string.Join(", ", elsewhere)} write to another database. Promote switches all of a version's views in one transaction of one database: give AddLifecycle and every sink the same database.");
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
