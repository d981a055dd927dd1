using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Vpp.Silo.Hosting;

/// <summary>Healthy once the silo is active in its cluster.</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(oracle.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("silo active")
            : HealthCheckResult.Unhealthy($"silo {oracle.CurrentStatus}"));
}
