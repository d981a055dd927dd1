using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.Assets;
using Vpp.Domain.GridServices;
using Vpp.Domain.Tests.Assets;

namespace Vpp.Domain.Tests.GridServices;

/// <summary>
/// SoC management within the German TSOs' FCR freedoms: the droop's direction only, 5 % of the reserve inside the
/// deadband, 20 % over-fulfilment outside it, a trade for the rest, and the alert when the reserve cannot be held for
/// 15 min. Battery: ±100 kW, 200 kWh, SoC 10–90 %, round trip 90 %; reserve 100 kW.
/// </summary>
public sealed class FcrSocManagementTests
{
    private static readonly TimeSpan FifteenMinutes = TimeSpan.FromMinutes(15);
    private static readonly BatteryEnergy Battery = BatteryEnergy.Of(Specs.Battery())!.Value;
    private static readonly SocWindow Window = FcrSocWindow.For(Battery, 100, FifteenMinutes);

    [Theory]
    [InlineData(49.995, 5)]
    [InlineData(50.000, 5)]
    [InlineData(50.005, 0)] // the droop asks to absorb: a discharge would oppose it
    [InlineData(50.010, 0)]
    public void Inside_the_deadband_a_too_full_battery_discharges_only_while_the_frequency_is_at_or_below_50_Hz(double frequencyHz, double expectedKw)
    {
        Assert.Equal(expectedKw, FcrSocManagement.CorrectionKw(Battery, 100, Window.MaxSocPercent, frequencyHz), 9);
    }

    [Theory]
    [InlineData(50.005, -5)]
    [InlineData(50.000, -5)]
    [InlineData(49.995, 0)] // the droop asks to export: a charge would oppose it
    [InlineData(49.990, 0)]
    public void Inside_the_deadband_a_too_empty_battery_charges_only_while_the_frequency_is_at_or_above_50_Hz(double frequencyHz, double expectedKw)
    {
        Assert.Equal(expectedKw, FcrSocManagement.CorrectionKw(Battery, 100, Window.MinSocPercent - 10, frequencyHz), 9);
    }

    [Fact]
    public void Inside_the_deadband_the_correction_is_at_most_the_droop_at_the_deadband_edge()
    {
        // 10 mHz of 200 mHz: 5 % of the reserve, however far out of its window the battery is.
        Assert.Equal(0.05, FcrSettings.Default.DeadbandUseShare, 9);
        Assert.Equal(5, FcrSocManagement.CorrectionKw(Battery, 100, 90, 50), 9);
        Assert.Equal(-5, FcrSocManagement.CorrectionKw(Battery, 100, 10, 50), 9);
    }

    [Theory]
    [InlineData(49.9, 90, 10)] // response +50 kW: up to 20 % more, 10 kW, to discharge a full battery
    [InlineData(49.8, 90, 20)]
    [InlineData(49.9, 10, 0)] // an empty battery would deliver less than requested: never
    [InlineData(50.2, 10, -20)] // response −100 kW: 20 kW more absorbed recharges an empty battery
    [InlineData(50.1, 90, 0)]
    [InlineData(50.02, 10, -2)] // response −10 kW: at most 2 kW more
    public void Outside_the_deadband_a_battery_recovers_only_by_over_fulfilling_its_response_by_at_most_20_percent(
        double frequencyHz, double socPercent, double expectedKw)
    {
        Assert.Equal(expectedKw, FcrSocManagement.CorrectionKw(Battery, 100, socPercent, frequencyHz), 9);
    }

    [Fact]
    public void Near_the_middle_of_its_window_a_battery_is_left_alone_and_halfway_out_it_pushes_half()
    {
        Assert.Equal(0, FcrSocManagement.CorrectionKw(Battery, 100, Window.MiddlePercent, 50));
        Assert.Equal(0, FcrSocManagement.Urgency(Battery, 100, Window.MiddlePercent + 3));
        var halfway = Window.MiddlePercent - ((Window.MaxSocPercent - Window.MinSocPercent) / 2 * (0.25 + (0.75 / 2)));
        Assert.Equal(-0.5, FcrSocManagement.Urgency(Battery, 100, halfway), 6);
        Assert.Equal(-2.5, FcrSocManagement.CorrectionKw(Battery, 100, halfway, 50), 6);
        Assert.Equal(0, FcrSocManagement.CorrectionKw(Battery, 0, 90, 50));
    }

    [Fact]
    public void A_battery_outside_its_window_needs_a_trade_for_the_energy_beyond_its_edge()
    {
        Assert.Equal(default, FcrSocManagement.Trade(Battery, 100, Window.MiddlePercent));
        Assert.Equal(default, FcrSocManagement.Trade(Battery, 100, Window.MaxSocPercent));

        // 5 % of 200 kWh above the top of the window, sold at the grid after the discharge losses.
        var full = FcrSocManagement.Trade(Battery, 100, Window.MaxSocPercent + 5);
        Assert.Equal(10 * Math.Sqrt(0.9), full.SellKwh, 9);
        Assert.Equal(0, full.BuyKwh);

        // 4 % missing below the bottom, bought at the grid before the charge losses.
        var empty = FcrSocManagement.Trade(Battery, 100, Window.MinSocPercent - 4);
        Assert.Equal(8 / Math.Sqrt(0.9), empty.BuyKwh, 9);
        Assert.Equal(0, empty.SellKwh);
    }

    [Fact]
    public void The_alert_names_the_direction_the_reserve_cannot_be_held_for_15_minutes()
    {
        Assert.Equal(FcrReserveAlert.None, FcrSocManagement.Alert(Battery, 100, Window.MinSocPercent));
        Assert.Equal(FcrReserveAlert.None, FcrSocManagement.Alert(Battery, 100, Window.MaxSocPercent));
        Assert.Equal(FcrReserveAlert.Up, FcrSocManagement.Alert(Battery, 100, Window.MinSocPercent - 0.1));
        Assert.Equal(FcrReserveAlert.Down, FcrSocManagement.Alert(Battery, 100, Window.MaxSocPercent + 0.1));

        // Below its window the battery indeed runs empty before 15 min at full export.
        var socPercent = Window.MinSocPercent - 0.1;
        Assert.True(Battery.DeliverableKwh(socPercent) < 100 * FifteenMinutes.TotalHours);

        // Too small for the reserve: neither way at any SoC.
        var small = Battery with { CapacityKwh = 40 };
        Assert.Equal(FcrReserveAlert.Both, FcrSocManagement.Alert(small, 100, 50));
        Assert.Equal(FcrReserveAlert.None, FcrSocManagement.Alert(Battery, 0, 50));
    }

    [Property]
    public Property A_correction_never_opposes_the_droop_and_stays_within_the_allowed_share() =>
        Prop.ForAll(
            Gen.Choose(49_700, 50_300).Select(mHz => mHz / 1000.0).ToArbitrary(),
            Gen.Choose(0, 1000).Select(i => i / 10.0).ToArbitrary(),
            (frequencyHz, socPercent) =>
            {
                var correctionKw = FcrSocManagement.CorrectionKw(Battery, 100, socPercent, frequencyHz);
                var responseKw = FcrDroop.ResponseKw(100, frequencyHz);
                var deviationHz = frequencyHz - 50;
                var inside = FcrDroop.IsInsideDeadband(frequencyHz);
                var direction = inside
                    ? correctionKw == 0 || (correctionKw > 0 ? deviationHz <= 1e-9 : deviationHz >= -1e-9)
                    : correctionKw == 0 || Math.Sign(correctionKw) == Math.Sign(responseKw);
                var limitKw = inside ? 5 : 0.2 * Math.Abs(responseKw);
                return direction && Math.Abs(correctionKw) <= limitKw + 1e-9;
            });

    [Property]
    public Property Urgency_never_decreases_as_the_soc_rises() =>
        Prop.ForAll(Gen.Choose(0, 1000).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (a, b) =>
        {
            var (low, high) = a <= b ? (a / 10.0, b / 10.0) : (b / 10.0, a / 10.0);
            return FcrSocManagement.Urgency(Battery, 80, low) <= FcrSocManagement.Urgency(Battery, 80, high);
        });
}
