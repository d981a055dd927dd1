using Vpp.Domain.Dispatch;

namespace Vpp.Domain.GridServices;

/// <summary>One asset taking part in FCR: its reserve (share of the band), where it sits without FCR, and its range.</summary>
public readonly record struct FcrParticipant(double ReserveKw, double BaseKw, double MinKw, double MaxKw)
{
    public double RoomUpKw => Math.Max(0, MaxKw - BaseKw);

    public double RoomDownKw => Math.Max(0, BaseKw - MinKw);

    /// <summary>The band this asset could hold around its base: the smaller of its two rooms.</summary>
    public double SymmetricRoomKw => Math.Min(RoomUpKw, RoomDownKw);
}

/// <summary>How a band is spread over assets; <see cref="ShortfallKw"/> &gt; 0 when they cannot hold all of it.</summary>
public sealed record FcrReserveAssignment(double ContractedKw, double[] ReservesKw)
{
    public double AssignedKw => ReservesKw.Sum();

    public double ShortfallKw => Math.Max(0, ContractedKw - AssignedKw) <= Capability.ToleranceKw ? 0 : ContractedKw - AssignedKw;
}

/// <summary>A fleet response split over assets: per asset the change on top of its base setpoint.</summary>
public sealed record FcrSplit(double ResponseKw, double[] DeltasKw)
{
    public double AllocatedKw => DeltasKw.Sum();

    /// <summary>Response the assets could not take (same sign as the response); zero within 1 W.</summary>
    public double UnallocatedKw => Math.Abs(ResponseKw - AllocatedKw) <= Capability.ToleranceKw ? 0 : ResponseKw - AllocatedKw;
}

/// <summary>
/// Spreads an FCR band over assets and a response over their reserves. Pro rata to the reserve keeps every asset
/// on the same droop (each delivers its own reserve × the response share), which is what prequalification checks
/// per unit. When an asset cannot move as far as its share (clamped by its range), the rest goes to the others,
/// first to those holding reserve, then to any asset with room: the pool covers for the unit.
/// </summary>
public static class FcrReserves
{
    /// <summary>Largest symmetric band the assets can hold together: the sum of their symmetric rooms (each capped).</summary>
    public static double MaxSymmetricKw(IEnumerable<double> maxReservesKw) => maxReservesKw.Sum(kw => Math.Max(0, kw));

    /// <summary>
    /// Assigns the band pro rata to what each asset can hold (<paramref name="maxReservesKw"/>: its symmetric room,
    /// for a battery also its SoC-window limit, see <see cref="FcrSocWindow.MaxReserveKw"/>).
    /// </summary>
    public static FcrReserveAssignment Assign(double contractedKw, IReadOnlyList<double> maxReservesKw)
    {
        var capacity = MaxSymmetricKw(maxReservesKw);
        var share = capacity <= 0 ? 0 : Math.Min(1, Math.Max(0, contractedKw) / capacity);
        return new FcrReserveAssignment(contractedKw, maxReservesKw.Select(kw => Math.Max(0, kw) * share).ToArray());
    }

    public static FcrSplit Split(IReadOnlyList<FcrParticipant> participants, double responseKw)
    {
        var deltas = new double[participants.Count];
        if (responseKw == 0 || participants.Count == 0)
        {
            return new FcrSplit(responseKw, deltas);
        }

        var up = responseKw > 0;
        double Room(int i) => up ? participants[i].RoomUpKw : participants[i].RoomDownKw;
        var active = Enumerable.Range(0, participants.Count).Where(i => Room(i) > 0).ToList();
        var remainingKw = Math.Abs(responseKw);

        // Each pass either places everything or saturates at least one asset: at most n + 1 passes.
        for (var pass = 0; pass <= participants.Count && remainingKw > Capability.ToleranceKw / 10 && active.Count > 0; pass++)
        {
            var holders = active.Where(i => participants[i].ReserveKw > 0).ToArray();
            var byReserve = holders.Length > 0;
            var group = byReserve ? holders : active.ToArray();
            var totalWeight = group.Sum(i => byReserve ? participants[i].ReserveKw : Room(i));
            var placedKw = 0.0;
            foreach (var i in group)
            {
                var wantKw = remainingKw * (byReserve ? participants[i].ReserveKw : Room(i)) / totalWeight;
                var leftKw = Room(i) - Math.Abs(deltas[i]);
                var giveKw = Math.Min(wantKw, leftKw);
                deltas[i] += up ? giveKw : -giveKw;
                placedKw += giveKw;
                if (giveKw >= leftKw)
                {
                    active.Remove(i);
                }
            }

            remainingKw -= placedKw;
        }

        return new FcrSplit(responseKw, deltas);
    }
}
