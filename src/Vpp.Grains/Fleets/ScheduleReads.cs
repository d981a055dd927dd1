using Vpp.Abstractions.Schedules;
using Vpp.Domain.Schedules;

namespace Vpp.Grains.Fleets;

/// <summary>A fleet's stored schedule slots, read from its schedule grain.</summary>
public static class ScheduleReads
{
    /// <summary>Longest range the schedule grain answers in one read.</summary>
    private static readonly TimeSpan ReadLimit = TimeSpan.FromDays(31);

    /// <summary>The slots over the range, ordered, read in chunks the schedule grain accepts.</summary>
    public static async Task<IReadOnlyList<ScheduledSlot>> SlotsAsync(IGrainFactory grains, string fleetId, SlotRange range)
    {
        var schedules = grains.GetGrain<IFleetScheduleGrain>(fleetId);
        var slots = new List<ScheduledSlot>();
        for (var from = range.From; from < range.To; from += ReadLimit)
        {
            var to = from + ReadLimit < range.To ? from + ReadLimit : range.To;
            var part = await schedules.GetAsync(from, to);
            slots.AddRange(part.Slots.Select(s => new ScheduledSlot(s.Start, s.TargetKw)));
        }

        return [.. slots.DistinctBy(s => s.Start).OrderBy(s => s.Start)];
    }
}
