namespace Vpp.Domain.VirtualBatteries;

/// <summary>
/// Splits a fleet's measured delivery in one slot over what it was asked for: the slices' setpoints and the rest of the
/// fleet's request (its own dispatch, grid services). Each part gets what it asked plus a share of the fleet's
/// deviation in proportion to the size of its request, so the parts always add up to the measured delivery and a
/// slice that asked nothing is given nothing.
/// </summary>
public static class SliceSettlement
{
    /// <summary>The energy delivered for each slice (kWh at the grid, positive exported).</summary>
    public static double[] DeliveredKwh(double fleetDeliveredKwh, double otherRequestedKwh, IReadOnlyList<double> sliceSetpointKwh)
    {
        var requestedKwh = otherRequestedKwh + sliceSetpointKwh.Sum();
        var weight = Math.Abs(otherRequestedKwh) + sliceSetpointKwh.Sum(Math.Abs);
        var deviationKwh = fleetDeliveredKwh - requestedKwh;
        return [.. sliceSetpointKwh.Select(kwh => weight == 0 ? 0 : kwh + (deviationKwh * Math.Abs(kwh) / weight))];
    }
}
