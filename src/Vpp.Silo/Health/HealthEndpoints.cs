using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

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
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteDetailsAsync,
        });
    }

    /// <summary>
    /// Status per check. The description (why a silo is not ready, which may quote a database error) only for a caller
    /// with a key holding the read role: probes are anonymous, and the log has the cause as well.
    /// </summary>
    private static Task WriteDetailsAsync(HttpContext context, HealthReport report)
    {
        var detailed = context.User.IsInRole(Security.ApiRoles.Read);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = detailed ? e.Value.Description : null }),
        });
    }
}
