using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Vpp.Grains.Hosting;

public static class VppGrainsHostingExtensions
{
    /// <summary>Registers what the VPP grains need (their options, bound from the "Vpp" section and validated).</summary>
    public static IServiceCollection AddVppGrains(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<VppOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(VppOptions.SectionName));
        }

        options
            .Validate(o => o.OfflineAfter > TimeSpan.Zero, "Vpp:OfflineAfter must be positive")
            .Validate(o => o.SetpointAckTimeout > TimeSpan.Zero, "Vpp:SetpointAckTimeout must be positive")
            .Validate(o => o.DriftEventInterval >= TimeSpan.Zero, "Vpp:DriftEventInterval must not be negative")
            .Validate(o => o.UnansweredRetryInterval > TimeSpan.Zero, "Vpp:UnansweredRetryInterval must be positive")
            .Validate(o => o.MaxDispatchRounds >= 1, "Vpp:MaxDispatchRounds must be at least 1")
            .Validate(o => o.PartitionsPerFleet is >= 1 and <= 999, "Vpp:PartitionsPerFleet must be between 1 and 999")
            .Validate(o => o.LiveStateWriteInterval > TimeSpan.Zero, "Vpp:LiveStateWriteInterval must be positive")
            .Validate(o => o.EventsRetained >= 1, "Vpp:EventsRetained must be at least 1")
            .Validate(o => o.EventRetention > TimeSpan.Zero, "Vpp:EventRetention must be positive")
            .Validate(o => o.UpkeepPeriod > TimeSpan.Zero, "Vpp:UpkeepPeriod must be positive")
            .Validate(o => GridServices.GridServiceOptions.Problem(o.GridServices) is null, "Vpp:GridServices is invalid: see GridServiceOptions")
            .Validate(o => o.ClockRecheckInterval > TimeSpan.Zero, "Vpp:ClockRecheckInterval must be positive")
            .Validate(o => o.MaxClockSkew >= TimeSpan.Zero, "Vpp:MaxClockSkew must not be negative")
            .Validate(o => o.MaxUnavailabilitiesPerAsset >= 1, "Vpp:MaxUnavailabilitiesPerAsset must be at least 1")
            .Validate(o => o.ScheduleHistoryRetention >= TimeSpan.Zero, "Vpp:ScheduleHistoryRetention must not be negative")
            .Validate(o => o.UnavailabilityLead >= TimeSpan.Zero, "Vpp:UnavailabilityLead must not be negative")
            .Validate(o => o.UnavailabilityHistoryRetention >= TimeSpan.Zero, "Vpp:UnavailabilityHistoryRetention must not be negative")
            .Validate(o => o.StorageReportThresholdPercent is >= 0 and <= 100, "Vpp:StorageReportThresholdPercent must be between 0 and 100")
            .ValidateOnStart();
        VppOptions.ValidateMetering(options);
        VppOptions.ValidateMarket(options);
        VppOptions.ValidateVirtualBatteries(options);
        VppOptions.ValidateOptimisation(options);
        services.AddSingleton<Storage.HistoryReads>();
        services.AddSingleton<Assets.SilenceWatch>();
        return services;
    }
}
