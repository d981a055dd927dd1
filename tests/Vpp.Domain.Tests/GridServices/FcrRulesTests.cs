using Vpp.Domain.GridServices;
using Vpp.Domain.Schedules;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.GridServices;

/// <summary>The FCR band as an obligation, the age of measurements, the area's alarm limits and the energy-limited band.</summary>
public sealed class FcrRulesTests
{
    private static readonly PowerRange Range = new(-1000, 1000);

    [Theory]
    [InlineData(1000, false)] // the brief's case: nothing left upwards
    [InlineData(500.0005, true)] // within 1 W of the edge
    [InlineData(-500, true)]
    [InlineData(-600, false)]
    public void A_base_must_leave_the_band_free_both_ways(double baseKw, bool keeps)
    {
        var errors = new FieldErrors();
        FcrBand.CheckBase(errors, "targetKw", baseKw, Range, 500);
        Assert.Equal(keeps, !errors.Any);
        if (!keeps)
        {
            Assert.Equal("targetKw", errors.Errors.Single().Field);
            Assert.Contains("from -500 to 500 kW", errors.Errors.Single().Message);
        }
    }

    [Fact]
    public void Without_a_contract_any_base_is_free_and_an_impossible_band_says_so()
    {
        var none = new FieldErrors();
        FcrBand.CheckBase(none, "targetKw", 1000, Range, 0);
        Assert.False(none.Any);

        var tooBig = new FieldErrors();
        FcrBand.CheckBase(tooBig, "targetKw", 0, Range, 1200);
        Assert.Contains("no base keeps the band", tooBig.Errors.Single().Message);
    }

    [Fact]
    public void A_new_award_names_the_first_stored_slot_of_its_period_that_would_not_leave_its_band_free()
    {
        var t = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        // Before the period 900 kW (outside it, so it does not count); in it 300 kW, then 700 kW, then 800 kW.
        ScheduledSlot[] slots = [new(t.AddMinutes(-15), 900), new(t, 300), new(t.AddMinutes(15), 700), new(t.AddMinutes(30), 800)];
        var earlier = new FcrAward(100, t.AddMinutes(15), t.AddMinutes(30));
        var award = new FcrAward(250, t, t.AddHours(1));
        var book = new FcrAwardBook([earlier]).With(award, t.AddHours(-1));

        var errors = new FieldErrors();
        FcrBand.CheckAwardAgainstSlots(errors, "contractedKw", award, book, slots, Range);

        // The 700 kW slot leaves 300 kW up, and with the earlier ±100 kW ±350 kW would be due: at most ±200 kW fits.
        var error = Assert.Single(errors.Errors);
        Assert.Equal("contractedKw", error.Field);
        Assert.Contains("slot 2026-11-26T08:15Z–08:30Z at 700 kW leaves 300 kW free upwards", error.Message);
        Assert.Contains("±350 kW due", error.Message);
        Assert.Contains("at most ±200 kW", error.Message);

        var smaller = award with { ContractedKw = 200 };
        var fits = new FieldErrors();
        FcrBand.CheckAwardAgainstSlots(fits, "contractedKw", smaller, new FcrAwardBook([earlier]).With(smaller, t.AddHours(-1)), slots, Range);
        Assert.False(fits.Any);
    }

    [Fact]
    public void A_measurement_is_fresh_up_to_the_maximum_age_and_refused_after()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        Assert.True(FrequencyRules.IsFresh(now.AddSeconds(-5), now));
        Assert.False(FrequencyRules.IsFresh(now.AddSeconds(-5.001), now));
        var errors = new FieldErrors();
        FrequencyRules.CheckAge(errors, "timestamp", now.AddSeconds(-6), now);
        Assert.Equal("timestamp", errors.Errors.Single().Field);
    }

    [Theory]
    [InlineData(51.5, false)]
    [InlineData(51.51, true)]
    [InlineData(52.5, true)]
    [InlineData(49.0, false)]
    [InlineData(48.99, true)]
    [InlineData(50.3, false)]
    public void The_area_alarms_above_51_5_and_below_49_Hz(double frequencyHz, bool alarm) =>
        Assert.Equal(alarm, FrequencyRules.Alarm(frequencyHz) is not null);

    [Fact]
    public void Batteries_count_in_the_band_only_with_the_reserve_their_energy_sustains()
    {
        // Two ±100 kW batteries at 0 kW (free ±200 kW), each sustaining only 80 kW: ±160 kW.
        Assert.Equal(160, FcrReserves.MaxBandKw(200, 200, 160), 9);
        Assert.Equal(200, FcrReserves.MaxBandKw(200, 200, 200), 9);
        Assert.Equal(0, FcrReserves.MaxBandKw(10, 200, 0), 9);
        Assert.Equal(5, FcrReserves.ShortfallKw(80, 75), 9);
        Assert.Equal(0, FcrReserves.ShortfallKw(75, 80), 9);
    }

    [Fact]
    public void A_contract_beyond_what_the_batteries_sustain_is_refused_naming_the_activation_time()
    {
        var error = Assert.Single(new FcrContract(90).Validate(maxPowerKw: 100, maxEnergyKw: 80));
        Assert.Equal("contractedKw", error.Field);
        Assert.Contains("activation time", error.Message);
        Assert.Empty(new FcrContract(80).Validate(maxPowerKw: 100, maxEnergyKw: 80));
    }
}
