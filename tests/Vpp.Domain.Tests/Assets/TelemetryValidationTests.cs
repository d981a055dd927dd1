using Vpp.Domain.Assets;
using static Vpp.Domain.Tests.Assets.Specs;

namespace Vpp.Domain.Tests.Assets;

public sealed class TelemetryValidationTests
{
    private static string[] Fields(Telemetry t, AssetSpec? spec = null) =>
        t.Validate(spec, T0).Select(e => e.Field).ToArray();

    [Fact]
    public void A_battery_reading_with_power_and_soc_is_valid()
    {
        Assert.Empty(Fields(new Telemetry(T0, -35.5, StateOfChargePercent: 61), Battery()));
    }

    [Fact]
    public void A_solar_reading_with_available_power_is_valid()
    {
        Assert.Empty(Fields(new Telemetry(T0.AddSeconds(-2), 42, AvailablePowerKw: 50), Solar()));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_active_power_names_active_power(double kw)
    {
        Assert.Equal(["activePowerKw"], Fields(new Telemetry(T0, kw)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Negative_or_non_finite_available_power_names_available_power(double kw)
    {
        Assert.Equal(["availablePowerKw"], Fields(new Telemetry(T0, 0, AvailablePowerKw: kw), Solar()));
    }

    [Theory]
    [InlineData(2e9)]
    [InlineData(-2e9)]
    public void Active_power_beyond_1_TW_names_active_power(double kw)
    {
        Assert.Equal(["activePowerKw"], Fields(new Telemetry(T0, kw)));
    }

    [Fact]
    public void Available_power_beyond_1_TW_names_available_power()
    {
        Assert.Equal(["availablePowerKw"], Fields(new Telemetry(T0, 0, AvailablePowerKw: 2e9), Wind()));
    }

    [Fact]
    public void Power_of_exactly_1_TW_is_accepted()
    {
        Assert.Empty(Fields(new Telemetry(T0, -AssetSpec.MaxAbsPowerKw, AvailablePowerKw: AssetSpec.MaxAbsPowerKw), Wind()));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.1)]
    [InlineData(double.NaN)]
    public void State_of_charge_outside_0_to_100_names_the_state_of_charge(double soc)
    {
        Assert.Equal(["stateOfChargePercent"], Fields(new Telemetry(T0, 0, StateOfChargePercent: soc), Battery()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void State_of_charge_at_0_or_100_is_valid(double soc)
    {
        Assert.Empty(Fields(new Telemetry(T0, 0, StateOfChargePercent: soc), Battery()));
    }

    [Fact]
    public void State_of_charge_on_an_asset_that_is_not_a_battery_names_the_state_of_charge()
    {
        Assert.Equal(["stateOfChargePercent"], Fields(new Telemetry(T0, 10, StateOfChargePercent: 50), Solar()));
    }

    [Fact]
    public void A_timestamp_more_than_five_seconds_ahead_names_the_timestamp()
    {
        Assert.Equal(["timestamp"], Fields(new Telemetry(T0.AddSeconds(5).AddTicks(1), 0)));
        Assert.Equal(["timestamp"], Fields(new Telemetry(T0.AddMinutes(4), 0)));
    }

    [Fact]
    public void A_timestamp_up_to_five_seconds_ahead_is_tolerated_as_clock_skew()
    {
        Assert.Empty(Fields(new Telemetry(T0.AddSeconds(5), 0)));
    }

    [Fact]
    public void The_tolerated_skew_is_a_parameter()
    {
        var reading = new Telemetry(T0.AddSeconds(30), 0);

        Assert.Empty(reading.Validate(null, T0, TimeSpan.FromMinutes(1)));
        Assert.Equal(["timestamp"], reading.Validate(null, T0, TimeSpan.FromSeconds(29)).Select(e => e.Field));
    }

    [Fact]
    public void A_reading_without_a_timestamp_is_valid()
    {
        Assert.Empty(Fields(new Telemetry(null, 0)));
    }
}
