using Vpp.Domain.Assets;
using Vpp.Domain.Dispatch;

namespace Vpp.Grains;

/// <summary>Behaviour of the VPP grains; bound from the "Vpp" configuration section.</summary>
public sealed partial class VppOptions
{
    public const string SectionName = "Vpp";

    /// <summary>Name of the grain storage provider all VPP grains persist to.</summary>
    public const string StorageName = "vppStore";

    /// <summary>An online asset with no telemetry for this long is marked offline.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a partition waits for its assets to acknowledge setpoints in one dispatch round.</summary>
    public TimeSpan SetpointAckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A partition (or asset) that did not answer a call the fleet (or partition) relies on — a summary read after a
    /// reactivation, a dispatch round — is asked again this often until it answers; then the standing target is
    /// spread again with it. Typical cause: a silo handing its grains over during a rolling update.
    /// </summary>
    public TimeSpan UnansweredRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Rounds of a dispatch: the first splits the target, later ones reallocate what was clamped or not acknowledged.</summary>
    public int MaxDispatchRounds { get; set; } = DispatchRounds.DefaultMaxRounds;

    /// <summary>Partitions a fleet's assets are hashed over when they join; a fleet uses only those that have members.</summary>
    public int PartitionsPerFleet { get; set; } = 256; // measured best at 100,000 assets on 2 cores (docs/benchmarks.md)

    /// <summary>A setpoint must be reachable within this time at the asset's ramp rate.</summary>
    public TimeSpan RampHorizon { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Telemetry is written behind: at most this long after it arrived (and on deactivation), so 100,000 assets
    /// reporting every few seconds do not mean 100,000 writes every few seconds. Spec, status and membership are
    /// written before the call returns; setpoints ride along with the next write (the standing target is durable).
    /// </summary>
    public TimeSpan LiveStateWriteInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Asset status and membership events are written at most this late; dispatches, re-dispatches and the fleet's
    /// existence are written before the call returns.
    /// </summary>
    public TimeSpan EventWriteDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events each fleet keeps (newest).</summary>
    public int EventsRetained { get; set; } = 500;

    /// <summary>Events older than this are pruned by the fleet's upkeep reminder (besides the count limit).</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Period of the durable reminders: each fleet partition's (it wakes members that were online, so their silence
    /// watchdog resumes after a restart or a silo's death) and each fleet's (event pruning; after a restart it
    /// brings the fleet back, which re-dispatches its standing target). Orleans refuses reminder periods under one
    /// minute unless <c>ReminderOptions.MinimumReminderPeriod</c> is lowered.
    /// </summary>
    public TimeSpan UpkeepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The standing target is re-dispatched when assets can no longer hold their setpoints by more than this share
    /// of the target (at least 1 kW): batteries running into SoC limits, clouds over solar parks.
    /// </summary>
    public double RedispatchDriftPercent { get; set; } = 0.5;

    /// <summary>
    /// Re-dispatches without a status change (drift, a partition reached again) are recorded as an event at most once per
    /// this interval; the event says how many were not. Status changes, restarts and dispatches are always recorded.
    /// </summary>
    public TimeSpan DriftEventInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Minimum change (kW) in an asset's capability worth reporting to its partition.</summary>
    public double CapabilityReportThresholdKw { get; set; } = 0.01;

    /// <summary>
    /// Longest wait of a schedule or unavailability timer before it looks at the grain clock again. Timers run on the
    /// runtime's clock while slot boundaries come from the grain clock; when the two part (a stepped system clock, a
    /// test's fake clock) a boundary is acted on at most this late. The timer itself is due at the exact boundary.
    /// </summary>
    public TimeSpan ClockRecheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Ended schedule slots are kept this long (settlement compares delivery with them), then pruned.</summary>
    public TimeSpan ScheduleHistoryRetention { get; set; } = TimeSpan.FromDays(35);

    /// <summary>
    /// An asset goes into maintenance this long before an unavailability window starts: the fleet reallocates its
    /// share in advance, so the others have ramped up (within <see cref="RampHorizon"/>) before it stops. It rejoins
    /// at the window's end, not earlier.
    /// </summary>
    public TimeSpan UnavailabilityLead { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Ended unavailability windows are listed this long, then pruned.</summary>
    public TimeSpan UnavailabilityHistoryRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Unavailability windows one asset may hold. When full, ended windows are pruned first (oldest first); with
    /// only current and upcoming windows left a new one is refused (409 "unavailabilities").
    /// </summary>
    public int MaxUnavailabilitiesPerAsset { get; set; } = 100;

    /// <summary>
    /// A battery reports its energy to its partition (for the schedule energy check) when it moved by more than this
    /// share of its capacity since the last report: fresh enough for a warning, without a message per measurement.
    /// </summary>
    public double StorageReportThresholdPercent { get; set; } = 1;

    /// <summary>
    /// Telemetry stamped further ahead of the VPP's clock than this is refused (400 "timestamp"): accepted, it would
    /// make every correct sample after it look out of order and blind the silence watchdog.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = Telemetry.DefaultMaxClockSkew;

    private EnvelopeSettings? _envelope;

    /// <summary>The envelope settings of <see cref="RampHorizon"/>: one object while it stays the same (read per setpoint).</summary>
    public EnvelopeSettings Envelope =>
        _envelope is { } envelope && envelope.RampHorizon == RampHorizon ? envelope : _envelope = new() { RampHorizon = RampHorizon };

    /// <summary>FCR and aFRR (section "Vpp:GridServices").</summary>
    public GridServices.GridServiceOptions GridServices { get; set; } = new();
}
