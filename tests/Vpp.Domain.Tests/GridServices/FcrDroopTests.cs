using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vpp.Domain.GridServices;
using Vpp.Domain.Validation;

namespace Vpp.Domain.Tests.GridServices;

public sealed class FcrDroopTests
{
    private const double ContractedKw = 1000;

    [Theory]
    [InlineData(50.000)]
    [InlineData(49.990)]
    [InlineData(50.010)]
    [InlineData(49.995)]
    [InlineData(50.005)]
    public void No_response_inside_the_deadband_edges_included(double frequencyHz)
    {
        Assert.Equal(0, FcrDroop.ResponseKw(ContractedKw, frequencyHz));
    }

    [Theory]
    [InlineData(49.9, 500)]
    [InlineData(50.1, -500)]
    [InlineData(49.8, 1000)]
    [InlineData(50.2, -1000)]
    [InlineData(49.95, 250)]
    [InlineData(50.05, -250)]
    public void Response_follows_the_droop_with_half_at_100_mHz_and_full_at_200_mHz(double frequencyHz, double expectedKw)
    {
        Assert.Equal(expectedKw, FcrDroop.ResponseKw(ContractedKw, frequencyHz), 6);
    }

    [Theory]
    [InlineData(49.7, 1000)]
    [InlineData(47.5, 1000)]
    [InlineData(50.3, -1000)]
    [InlineData(52.5, -1000)]
    public void Response_is_clamped_to_the_contracted_band_beyond_200_mHz(double frequencyHz, double expectedKw)
    {
        Assert.Equal(expectedKw, FcrDroop.ResponseKw(ContractedKw, frequencyHz), 9);
    }

    [Fact]
    public void Response_jumps_at_the_deadband_edge_because_the_droop_line_is_not_shifted()
    {
        // 11 mHz below nominal: 11/200 of the band, not (11 − 10)/190 of it.
        Assert.Equal(55, FcrDroop.ResponseKw(ContractedKw, 49.989), 6);
        Assert.Equal(-55, FcrDroop.ResponseKw(ContractedKw, 50.011), 6);
    }

    [Fact]
    public void Low_frequency_means_more_export_and_high_frequency_less()
    {
        Assert.True(FcrDroop.ResponseKw(ContractedKw, 49.95) > 0);
        Assert.True(FcrDroop.ResponseKw(ContractedKw, 50.05) < 0);
    }

    [Fact]
    public void Settings_change_the_band_edges()
    {
        var settings = new FcrSettings { DeadbandHz = 0.02, FullActivationDeviationHz = 0.5 };
        Assert.Equal(0, FcrDroop.ResponseKw(ContractedKw, 49.98, settings));
        Assert.Equal(500, FcrDroop.ResponseKw(ContractedKw, 49.75, settings), 6);
        Assert.Empty(settings.Validate());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(47.49)]
    [InlineData(52.51)]
    [InlineData(0)]
    [InlineData(60)]
    public void Implausible_frequencies_are_refused_naming_the_field(double frequencyHz)
    {
        var error = Assert.Single(FrequencyErrors(frequencyHz));
        Assert.Equal("frequencyHz", error.Field);
    }

    [Theory]
    [InlineData(47.5)]
    [InlineData(52.5)]
    [InlineData(49.2)]
    public void Frequencies_in_the_plausible_range_are_accepted(double frequencyHz)
    {
        Assert.Empty(FrequencyErrors(frequencyHz));
    }

    private static IReadOnlyList<FieldError> FrequencyErrors(double frequencyHz)
    {
        var errors = new FieldErrors();
        FcrDroop.CheckFrequency(errors, "frequencyHz", frequencyHz);
        return errors.Errors;
    }

    [Fact]
    public void Response_refuses_an_unvalidated_non_finite_frequency()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FcrDroop.ResponseKw(ContractedKw, double.NaN));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(2e9)]
    public void A_contract_must_be_a_finite_non_negative_band(double contractedKw)
    {
        Assert.Equal("contractedKw", Assert.Single(new FcrContract(contractedKw).Validate()).Field);
    }

    [Fact]
    public void A_contract_of_zero_ends_the_service_and_is_valid()
    {
        var contract = new FcrContract(0);
        Assert.Empty(contract.Validate());
    }

    [Fact]
    public void A_contract_beyond_what_the_fleet_can_hold_is_refused()
    {
        var error = Assert.Single(new FcrContract(1500).Validate(maxPowerKw: 1200));
        Assert.Equal("contractedKw", error.Field);
        Assert.Contains("1200", error.Message);
        Assert.Empty(new FcrContract(1200).Validate(maxPowerKw: 1200));
    }

    [Fact]
    public void Inconsistent_settings_are_refused()
    {
        var fields = new FcrSettings { DeadbandHz = 0.3, ActivationTime = TimeSpan.Zero, OverFulfilmentShare = 2 }
            .Validate().Select(e => e.Field).ToArray();
        Assert.Equal(["deadbandHz", "activationTime", "overFulfilmentShare"], fields);
    }

    private static Arbitrary<double> Frequencies =>
        Gen.Choose(47_500, 52_500).Select(mHz => mHz / 1000.0).ToArbitrary();

    [Property]
    public Property Response_never_exceeds_the_band_and_opposes_the_deviation() =>
        Prop.ForAll(Frequencies, f =>
        {
            var kw = FcrDroop.ResponseKw(ContractedKw, f);
            return Math.Abs(kw) <= ContractedKw && (kw == 0 || Math.Sign(kw) == -Math.Sign(f - 50));
        });

    [Property]
    public Property Response_never_rises_when_the_frequency_rises() =>
        Prop.ForAll(Frequencies, Frequencies, (a, b) =>
        {
            var (low, high) = a <= b ? (a, b) : (b, a);
            return FcrDroop.ResponseKw(ContractedKw, low) >= FcrDroop.ResponseKw(ContractedKw, high);
        });

    [Property]
    public Property Response_is_antisymmetric_around_nominal() =>
        Prop.ForAll(Gen.Choose(0, 2_500).Select(mHz => mHz / 1000.0).ToArbitrary(), d =>
            Math.Abs(FcrDroop.ResponseKw(ContractedKw, 50 - d) + FcrDroop.ResponseKw(ContractedKw, 50 + d)) < 1e-6);
}
