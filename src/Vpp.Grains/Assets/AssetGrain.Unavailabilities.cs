using Microsoft.Extensions.Logging;
using Orleans.Core;
using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Domain.Assets;
using Vpp.Domain.Availability;
using Vpp.Grains.Scheduling;
using Vpp.Grains.Storage;

namespace Vpp.Grains.Assets;

/// <summary>
/// Unavailability windows. During an outage (overlapping windows merged) the asset is in maintenance, which takes
/// it out of its fleet's capacity: it goes into maintenance <see cref="VppOptions.UnavailabilityLead"/> before the
/// outage starts (the grain's timer, or its reminder after a restart), so the fleet has reallocated its standing
/// target and the others have ramped up before the asset stops; it returns to its previous status at the end. A status
/// reported by the owner during the outage wins: the end then leaves it alone.
/// </summary>
public sealed partial class AssetGrain : IAssetAvailabilityGrain, IRemindable
{
    public const string AvailabilityReminder = "asset-unavailability";

    /// <summary>At most this many upcoming outages travel up to the partition with each member report.</summary>
    private const int MaxReportedOutages = 20;

    /// <summary>The state of an asset that never stored a window: read-only, shared by every such activation.</summary>
    private static readonly AssetUnavailabilityState NoUnavailability = new();

    private BoundaryAlarm? _availabilityAlarm;

    // Read at activation unless the asset never stored any (AssetState.NoUnavailabilityStored), else at the first
    // window added: most assets never get one, so their registration reads one state instead of two and their
    // activation holds none of this. Null means no window is stored.
    private StateStorageBridge<AssetUnavailabilityState>? _availability;

    private AssetUnavailabilityState Availability => _availability?.State ?? NoUnavailability;

    private BoundaryAlarm AvailabilityAlarm =>
        _availabilityAlarm ??= new BoundaryAlarm(this, AvailabilityReminder, clock, _options, () => ApplyAvailabilityAsync(), logger);

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == AvailabilityReminder ? ApplyAvailabilityAsync() : Task.CompletedTask;

    public async Task<UnavailabilityView> AddUnavailabilityAsync(UnavailabilityRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = new UnavailabilityInput(request.From, request.Until, request.Kind, request.Reason);
        InvalidInputException.ThrowIfAny(input.Validate(Now));
        RequireSpec();
        await PrepareAvailabilityAsync();

        var pruned = Calendar().RoomForOneMore(Now, _options.MaxUnavailabilitiesPerAsset) is { } ids
            ? Availability.Windows.Where(w => ids.Contains(w.Id)).ToList()
            : throw new ConflictException(
                "unavailabilities",
                $"asset '{AssetId}' already has {Availability.Windows.Count} current or upcoming unavailability windows, the most one asset may have (Vpp:MaxUnavailabilitiesPerAsset); delete one or merge them");

        var window = input.ToWindow($"u{Availability.NextNumber}", Now);
        var view = new UnavailabilityView(window.Id, window.From, window.Until, UnavailabilityWindow.KindNames[(int)window.Kind], window.Reason);
        Availability.Windows.RemoveAll(pruned.Contains);
        Availability.Windows.Add(view);
        Availability.NextNumber++;
        await WriteAvailabilityAsync(() =>
        {
            Availability.Windows.Remove(view);
            Availability.Windows.AddRange(pruned);
            Availability.NextNumber--;
        });

        LogUnavailabilityAdded(AssetId, view.Id, view.From, view.Until, view.Kind);
        await ApplyAvailabilityAsync(reportAnyway: true);
        return view;
    }

    public Task<UnavailabilityView[]> GetUnavailabilitiesAsync()
    {
        RequireSpec();
        return Task.FromResult(UnavailabilityViews() ?? []);
    }

    public async Task RemoveUnavailabilityAsync(string unavailabilityId)
    {
        RequireSpec();
        var index = Availability.Windows.FindIndex(w => w.Id == unavailabilityId);
        if (index < 0)
        {
            throw new NotFoundException("unavailability", unavailabilityId ?? "");
        }

        var removed = Availability.Windows[index];
        Availability.Windows.RemoveAt(index);
        await WriteAvailabilityAsync(() => Availability.Windows.Insert(index, removed));
        await ApplyAvailabilityAsync(reportAnyway: true);
    }

    /// <summary>Reads the stored windows into this activation.</summary>
    private async Task ReadAvailabilityAsync()
    {
        var bridge = new StateStorageBridge<AssetUnavailabilityState>("assetUnavailability", GrainContext, storage);
        await bridge.ReadStateAsync();
        _availability = bridge;
    }

    /// <summary>
    /// Before the first window of an asset is stored: the asset's state records that it may have windows (so every
    /// later activation reads them), then the windows' state is read.
    /// </summary>
    private async Task PrepareAvailabilityAsync()
    {
        if (state.State.NoUnavailabilityStored)
        {
            state.State.NoUnavailabilityStored = false;
            await WriteOrForgetAsync(() => state.WriteRecoveringAsync(() => state.State.NoUnavailabilityStored = false, this.GetGrainId(), logger));
        }

        if (_availability is null)
        {
            await ReadAvailabilityAsync();
        }
    }

    /// <summary>On activation: catch up with an outage that started or ended meanwhile, and re-arm for the next.</summary>
    private Task ActivateAvailabilityAsync() =>
        Spec is not null && (Availability.Windows.Count > 0 || Availability.InOutage)
            ? AvailabilityAlarm.ArmAsync(Now)
            : Task.CompletedTask;

    /// <summary>
    /// Puts the asset into maintenance when an outage is in force, restores it when one ended, tells the partition
    /// about changed plans, and arms for the next change. Safe to run early or twice.
    /// </summary>
    private async Task ApplyAvailabilityAsync(bool reportAnyway = false)
    {
        if (Spec is null)
        {
            return;
        }

        var now = Now;
        PruneEndedWindows(now);
        var calendar = Calendar();
        var outage = calendar.OutageAt(now, _options.UnavailabilityLead);
        var statusChanged = false;
        if (outage is not null && !Availability.InOutage)
        {
            (Availability.InOutage, Availability.StatusBefore, Availability.StatusBeforeReported, Availability.StatusReasonBefore) =
                (true, Live.Status, Live.StatusReported, Live.StatusReason);
            await WriteAvailabilityAsync(() => Availability.InOutage = false);
            var reason = Describe(outage, calendar);
            statusChanged = await ChangeLiveAsync(live => AssetBehaviour.OnStatusReport(live, AssetStatus.Maintenance, reason, now), reason);
        }
        else if (outage is null && Availability.InOutage)
        {
            Availability.InOutage = false;
            await WriteAvailabilityAsync(() => Availability.InOutage = true);
            if (Live.Status == AssetStatus.Maintenance)
            {
                statusChanged = await ChangeLiveAsync(RestoreStatus(now), "unavailability ended");
            }
        }

        if (reportAnyway && !statusChanged)
        {
            // The plans changed (flexibility counts them) though the status did not.
            await UpdateMemberAsync(CurrentReport(), statusChange: null);
        }

        await AvailabilityAlarm.ArmAsync(calendar.NextChange(now, _options.UnavailabilityLead)?.ActAt ?? (Availability.Windows.Count > 0 ? now + _options.UnavailabilityHistoryRetention : null));
    }

    /// <summary>Back to what the asset was before: online gets a fresh silence allowance to report again.</summary>
    private Func<AssetLiveState, AssetLiveState> RestoreStatus(DateTimeOffset now)
    {
        var (status, reported, reason) = (Availability.StatusBefore, Availability.StatusBeforeReported, Availability.StatusReasonBefore);
        return status == AssetStatus.Online
            ? live => AssetBehaviour.OnStatusReport(live, AssetStatus.Online, "unavailability ended", now)
            : live => live with { Status = status, StatusReported = reported, StatusReason = reason };
    }

    private static string Describe(Outage outage, UnavailabilityCalendar calendar)
    {
        var reasons = outage.WindowIds.Select(id => calendar.Find(id)?.Reason).Where(r => !string.IsNullOrWhiteSpace(r)).Distinct().ToList();
        return $"{(outage.Planned ? "planned" : "unplanned")} unavailability {outage.From:yyyy-MM-ddTHH:mm:ssZ} until {outage.Until:yyyy-MM-ddTHH:mm:ssZ}"
            + (reasons.Count > 0 ? ": " + string.Join("; ", reasons) : "");
    }

    private UnavailabilityCalendar Calendar() =>
        UnavailabilityCalendar.Of(Availability.Windows.Select(w =>
            new UnavailabilityWindow(w.Id, w.From, w.Until, UnavailabilityInput.ParseKind(w.Kind) ?? UnavailabilityKind.Unplanned, w.Reason)));

    private void PruneEndedWindows(DateTimeOffset now) =>
        Availability.Windows.RemoveAll(w => w.Until <= now - _options.UnavailabilityHistoryRetention);

    /// <summary>Null when there are none, so views and reports of assets without windows stay as they were.</summary>
    private UnavailabilityView[]? UnavailabilityViews() =>
        Availability.Windows.Count == 0 ? null : [.. Availability.Windows.OrderBy(w => w.From).ThenBy(w => w.Id, StringComparer.Ordinal)];

    private OutageView[]? UpcomingOutages()
    {
        if (Availability.Windows.Count == 0)
        {
            return null;
        }

        var now = Now;
        return [.. Calendar().Outages.Where(o => o.Until > now).Take(MaxReportedOutages).Select(o => new OutageView(o.From, o.Until, o.Planned))];
    }

    private double StorageReportThresholdKwh() => (Spec?.EnergyCapacityKwh ?? 0) * _options.StorageReportThresholdPercent / 100;

    /// <summary>Writes the windows; when the write fails, <paramref name="undo"/> puts memory back as storage has it.</summary>
    private async Task WriteAvailabilityAsync(Action undo)
    {
        try
        {
            await _availability!.WriteStateAsync();
        }
        catch
        {
            undo();
            throw;
        }
    }

    private async Task ClearAvailabilityAsync()
    {
        if (_availability is { } stored && (stored.RecordExists || stored.State.Windows.Count > 0))
        {
            await AvailabilityAlarm.DisarmAsync();
            await stored.ClearStateAsync();
            stored.State = new AssetUnavailabilityState();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Asset {AssetId}: unavailability {Id} from {From} until {Until} ({Kind})")]
    private partial void LogUnavailabilityAdded(string assetId, string id, DateTimeOffset from, DateTimeOffset until, string kind);
}
