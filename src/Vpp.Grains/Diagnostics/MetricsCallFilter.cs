using System.Diagnostics;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Fleets;
using Vpp.Abstractions.Ingest;
using Vpp.Grains.Assets;
using Vpp.Grains.Fleets;

namespace Vpp.Grains.Diagnostics;

/// <summary>
/// Feeds <see cref="VppMetrics"/> from the calls that carry the figures, so grains need no metrics code: fleet
/// dispatches (timed from the call to its answer, which comes once every asset acknowledged or timed out), fleet
/// views (the per-fleet gauges) and telemetry reported to assets. Other calls pass straight through.
/// </summary>
public sealed class MetricsCallFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context) => context.Grain switch
    {
        FleetGrain => ObserveFleetAsync(context),
        AssetGrain when context.MethodName is nameof(IAssetGrain.ReportTelemetryAsync) or nameof(IAssetMember.IngestTelemetryAsync)
            => ObserveTelemetryAsync(context),
        _ => context.Invoke(),
    };

    private static async Task ObserveFleetAsync(IIncomingGrainCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        await context.Invoke();
        switch (context.Result)
        {
            case DispatchResult dispatch:
                VppMetrics.RecordDispatch(context.TargetId.Key.ToString()!, Stopwatch.GetElapsedTime(started), dispatch);
                break;
            case FleetView view:
                VppMetrics.RecordFleetView(view);
                break;
        }
    }

    private static async Task ObserveTelemetryAsync(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch
        {
            VppMetrics.RecordTelemetry(accepted: false);
            throw;
        }

        VppMetrics.RecordTelemetry(context.Response?.Exception is null && context.Result is not TelemetryOutcome { Accepted: false });
    }
}
