using Orleans.Runtime;
using Vpp.Domain.Assets;

namespace Vpp.Silo.Demo;

public static class DemoFleetHostingExtensions
{
    /// <summary>
    /// Registers the demo fleet simulator (a hosted service that does nothing unless Demo:Enabled is true) and its
    /// options, bound from the "Demo" section and validated at start when enabled.
    /// </summary>
    public static IServiceCollection AddDemoFleet(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoFleetOptions>()
            .Bind(configuration.GetSection(DemoFleetOptions.SectionName))
            .Validate(o => !o.Enabled || EntityId.IsValid(o.FleetId), "Demo:FleetId must be a valid id (letters, digits, '.', '_', '-'; not all digits)")
            .Validate(o => !o.Enabled || o.AssetCount is >= 1 and <= 100_000, "Demo:AssetCount must be between 1 and 100000")
            .Validate(o => !o.Enabled || o.TelemetryInterval > TimeSpan.Zero, "Demo:TelemetryInterval must be positive")
            .Validate(o => !o.Enabled || o.MaxConcurrency >= 1, "Demo:MaxConcurrency must be at least 1")
            .Validate(o => !o.Enabled || o.RegistrationBatchSize >= 1, "Demo:RegistrationBatchSize must be at least 1")
            .Validate(o => !o.Enabled || o.InitialTargetFraction is null or (>= 0 and <= 1), "Demo:InitialTargetFraction must be between 0 and 1")
            .ValidateOnStart();

        // Telemetry timestamps are checked against the grains' clock, so the simulator reads the same one.
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<DemoFleetService>(
            sp,
            sp.GetKeyedService<TimeProvider>(TimeProviderNames.Grains) ?? sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
