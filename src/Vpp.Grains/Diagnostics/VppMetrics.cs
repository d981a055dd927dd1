using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Diagnostics;

/// <summary>
/// The plant's own metrics (meter <see cref="MeterName"/>), exported by the silo as Prometheus text at /metrics and
/// over OTLP (docs/operations.md lists them). Per-fleet gauges read the fleet's last view, kept here as it passes by,
/// so observing them costs no grain call.
/// </summary>
public static class VppMetrics
{
    public const string MeterName = "Vpp.Orleans";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<string, FleetView> LastViews = new(StringComparer.Ordinal);

    public static readonly Histogram<double> DispatchDuration = Meter.CreateHistogram<double>(
        "vpp.dispatch.duration", "s", "A dispatch call until every participating asset acknowledged or timed out",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    public static readonly Counter<long> DispatchRounds = Meter.CreateCounter<long>(
        "vpp.dispatch.rounds", description: "Dispatch rounds run (a round re-plans what assets could not take)");

    public static readonly Counter<long> DispatchUnacknowledged = Meter.CreateCounter<long>(
        "vpp.dispatch.unacknowledged", description: "Setpoints an asset did not acknowledge in time");

    public static readonly Counter<long> DispatchClamped = Meter.CreateCounter<long>(
        "vpp.dispatch.clamped", description: "Setpoints an asset clamped to its limits");

    public static readonly Counter<long> TelemetrySamples = Meter.CreateCounter<long>(
        "vpp.telemetry.samples", description: "Telemetry samples by outcome (accepted, dropped)");

    public static readonly Histogram<double> StorageWriteDuration = Meter.CreateHistogram<double>(
        "vpp.storage.write.duration", "s", "Grain state writes to the database",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5] });

    public static readonly Histogram<double> BulkRegistrationStep = Meter.CreateHistogram<double>(
        "vpp.registration.bulk.step.duration", "s",
        "Steps of a bulk registration: validation and fleet (the batch's partitions listed in the fleet) per batch; partitions (every partition call of a batch); serialise and rows (a partition's insert-only rows: serialising them, and serialising and writing them); membership (a partition's membership write); report (its report reaching the fleet)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5] });

    public static readonly Counter<long> StorageWriteConflicts = Meter.CreateCounter<long>(
        "vpp.storage.write.conflicts", description: "Writes refused because the stored version changed behind the grain");

    public static readonly Counter<long> SqliteCheckpoints = Meter.CreateCounter<long>(
        "vpp.storage.sqlite.checkpoints",
        description: "Checkpoints of the SQLite file's WAL by mode (passive: beside the writer; restart: the writer bounding a long WAL) and outcome (done, failed)");

    public static readonly Histogram<double> SettlementDeviation = Meter.CreateHistogram<double>(
        "vpp.settlement.deviation", "kWh",
        "Delivered minus requested energy of each closed quarter hour, one record per partition of the fleet: the sum over a slot is the fleet's deviation",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [-1000, -100, -10, -1, -0.1, 0.1, 1, 10, 100, 1000] });

    static VppMetrics()
    {
        Meter.CreateObservableGauge("vpp.fleet.assets", ObserveAssets, description: "Assets per fleet by status (online, not_online) in the fleet's last view");
        Meter.CreateObservableGauge("vpp.fcr.response_kw", () => Observe(v => v.Services.Fcr?.ResponseKw), description: "FCR response the fleet is delivering, kW");
        Meter.CreateObservableGauge(
            "vpp.fcr.frequency_age", () => Observe(v => v.Services.Fcr?.MeasuredAt is { } at ? (DateTimeOffset.UtcNow - at).TotalSeconds : null),
            "s", "Age of the last grid frequency measurement the fleet's FCR responded to");
        Meter.CreateObservableGauge(
            "vpp.afrr.deviation_kw", () => Observe(v => v.Services.AfrrSetpointKw is not null && v.Measured.Kw is { } measured && v.Dispatch.TargetKw is { } target ? measured - target : null),
            description: "Measured minus targeted output while an aFRR setpoint is active, kW");
    }

    /// <summary>Records one step of a bulk registration since <paramref name="started"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public static void BulkStep(string step, long started) =>
        BulkRegistrationStep.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("step", step));

    /// <summary>Tags of one fleet's series.</summary>
    public static KeyValuePair<string, object?> Fleet(string fleetId) => new("fleet", fleetId);

    public static void RecordDispatch(string fleetId, TimeSpan elapsed, DispatchResult result)
    {
        var fleet = Fleet(fleetId);
        DispatchDuration.Record(elapsed.TotalSeconds, fleet);
        DispatchRounds.Add(result.Rounds, fleet);
        DispatchUnacknowledged.Add(result.UnacknowledgedCount, fleet);
        DispatchClamped.Add(result.ClampedCount, fleet);
    }

    public static void RecordSqliteCheckpoint(string mode, bool done) =>
        SqliteCheckpoints.Add(1, new KeyValuePair<string, object?>("mode", mode), new KeyValuePair<string, object?>("outcome", done ? "done" : "failed"));

    public static void RecordSettlementDeviation(string fleetId, double deviationKwh) => SettlementDeviation.Record(deviationKwh, Fleet(fleetId));

    public static void RecordTelemetry(bool accepted) =>
        TelemetrySamples.Add(1, new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "dropped"));

    public static void RecordFleetView(FleetView view) => LastViews[view.FleetId] = view;

    public static void ForgetFleet(string fleetId) => LastViews.TryRemove(fleetId, out _);

    private static IEnumerable<Measurement<int>> ObserveAssets()
    {
        foreach (var view in LastViews.Values)
        {
            yield return new Measurement<int>(view.Counts.OnlineCount, Fleet(view.FleetId), new("status", "online"));
            yield return new Measurement<int>(view.Counts.AssetCount - view.Counts.OnlineCount, Fleet(view.FleetId), new("status", "not_online"));
        }
    }

    private static IEnumerable<Measurement<double>> Observe(Func<FleetView, double?> value)
    {
        foreach (var view in LastViews.Values)
        {
            if (value(view) is { } v)
            {
                yield return new Measurement<double>(v, Fleet(view.FleetId));
            }
        }
    }
}
