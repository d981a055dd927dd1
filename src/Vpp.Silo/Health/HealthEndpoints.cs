using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Vpp.Silo.Health;

/// <summary>
/// Probes for load balancers and orchestrators: <c>/health/live</c> (the process answers; restart it if not),
/// <c>/health/ready</c> (joined the cluster and storage answers; send traffic), <c>/health</c> (all checks).
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddVppHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag])
            .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag]);
        return services;
    }

    public static void MapVppHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health");
        // Liveness runs no check: a silo waiting for its database is alive, and restarting it would not help.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
    }
}
