using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Vpp.Grains.Diagnostics;
using Vpp.Silo.Security;

namespace Vpp.Silo.Metrics;

/// <summary>
/// OpenTelemetry metrics: the plant's own meter (<see cref="VppMetrics"/>, <see cref="RuntimeStalls"/>), Orleans, ASP.NET Core,
/// Kestrel, Npgsql and the .NET runtime.
/// Served as Prometheus text at <c>/metrics</c> to keys with the <c>read</c> role, and pushed over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the standard OTEL_* variables).
/// </summary>
public static class MetricsHostingExtensions
{
    public const string Path = "/metrics";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const int MaxSeriesPerMetric = 20_000;

    /// <summary>
    /// Meters of others this silo exports besides its own; <c>System.Runtime</c> is .NET's (GC collections, pause
    /// time and heap sizes, working set, thread pool queue).
    /// </summary>
    public static IReadOnlyList<string> ExternalMeters { get; } =
        ["Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql", "System.Runtime"];

    public static WebApplicationBuilder AddVppMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IIncomingGrainCallFilter, MetricsCallFilter>(); // what ISiloBuilder.AddIncomingGrainCallFilter registers
        builder.Services.AddHostedService<RuntimeStallLog>();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("vpp-silo"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([VppMetrics.MeterName, .. ExternalMeters]);

                // Series per fleet: room for many fleets before the SDK folds new ones into an overflow series.
                metrics.AddView(i => i.Meter.Name == VppMetrics.MeterName ? new MetricStreamConfiguration { CardinalityLimit = MaxSeriesPerMetric } : null);
                metrics.AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        return builder;
    }

    public static WebApplication MapVppMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(ApiRoles.Read);
        return app;
    }
}
