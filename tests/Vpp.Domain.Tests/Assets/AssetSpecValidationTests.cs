using Vpp.Domain.Assets;
using static Vpp.Domain.Tests.Assets.Specs;

namespace Vpp.Domain.Tests.Assets;

public sealed class AssetSpecValidationTests
{
    private static string[] FieldsNamed(AssetSpec spec) => spec.Validate().Select(e => e.Field).Distinct().ToArray();

    [Theory]
    [InlineData(AssetKind.Battery)]
    [InlineData(AssetKind.Solar)]
    [InlineData(AssetKind.Wind)]
    [InlineData(AssetKind.Chp)]
    [InlineData(AssetKind.FlexibleLoad)]
    public void A_valid_spec_of_each_kind_has_no_errors(AssetKind kind)
    {
        Assert.Empty(Valid(kind).Validate());
    }

    public static TheoryData<string> ValidVariants => new(ValidVariant.Keys);

    private static readonly Dictionary<string, AssetSpec> ValidVariant = new()
    {
        ["battery with default SoC window and efficiency"] = Battery() with { MinSocPercent = null, MaxSocPercent = null, RoundTripEfficiencyPercent = null },
        ["battery with the full 0-100 % SoC window"] = Battery() with { MinSocPercent = 0, MaxSocPercent = 100 },
        ["battery that only charges"] = Battery() with { MaxPowerKw = 0 },
        ["battery with 100 % round-trip efficiency"] = Battery() with { RoundTripEfficiencyPercent = 100 },
        ["battery with a ramp rate"] = Battery() with { RampRateKwPerSecond = 0.5 },
        ["solar with a negative marginal cost"] = Solar() with { MarginalCostEurPerMwh = -30 },
        ["CHP that is either off or at full power"] = Chp() with { MinStablePowerKw = 100 },
        ["CHP without min up/down times"] = Chp() with { MinUpTimeSeconds = null, MinDownTimeSeconds = null },
        ["CHP with zero min up/down times"] = Chp() with { MinUpTimeSeconds = 0, MinDownTimeSeconds = 0 },
        ["CHP with free starts"] = Chp() with { StartUpCostEur = 0 },
        ["CHP with the largest start-up cost"] = Chp() with { StartUpCostEur = AssetSpec.MaxStartUpCostEur },
        ["CHP with min up/down times of a week"] = Chp() with { MinUpTimeSeconds = AssetSpec.MaxRunTimeSeconds, MinDownTimeSeconds = AssetSpec.MaxRunTimeSeconds },
        ["powers of exactly 1 TW"] = Battery() with { MinPowerKw = -AssetSpec.MaxAbsPowerKw, MaxPowerKw = AssetSpec.MaxAbsPowerKw },
        ["flexible load that can be switched off completely"] = FlexibleLoad() with { MaxPowerKw = 0 },
        ["fleet id with every allowed character"] = Solar() with { FleetId = "Fleet_01.north-A" },
    };

    [Theory]
    [MemberData(nameof(ValidVariants))]
    public void Valid_variants_have_no_errors(string variant)
    {
        Assert.Empty(ValidVariant[variant].Validate());
    }

    public static TheoryData<string, string> InvalidCases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (defect, (_, fieldName)) in InvalidCase)
            {
                data.Add(defect, fieldName);
            }

            return data;
        }
    }

    /// <summary>One defect each, on an otherwise valid spec, and the wire field the error must name.</summary>
    private static readonly Dictionary<string, (AssetSpec Spec, string Field)> InvalidCase = new()
    {
        ["min above max"] = (Battery() with { MinPowerKw = 50, MaxPowerKw = -50 }, "minPowerKw"),
        ["flexible load min above max"] = (FlexibleLoad() with { MinPowerKw = -10, MaxPowerKw = -50 }, "minPowerKw"),
        ["solar min above max"] = (Solar() with { MinPowerKw = 120 }, "minPowerKw"),
        ["zero ramp rate"] = (Battery() with { RampRateKwPerSecond = 0 }, "rampRateKwPerSecond"),
        ["negative ramp rate"] = (Solar() with { RampRateKwPerSecond = -1 }, "rampRateKwPerSecond"),

        ["battery without energy capacity"] = (Battery() with { EnergyCapacityKwh = null }, "energyCapacityKwh"),
        ["battery with zero energy capacity"] = (Battery() with { EnergyCapacityKwh = 0 }, "energyCapacityKwh"),
        ["battery with negative energy capacity"] = (Battery() with { EnergyCapacityKwh = -200 }, "energyCapacityKwh"),
        ["battery min SoC below 0"] = (Battery() with { MinSocPercent = -1 }, "minSocPercent"),
        ["battery min SoC above 100"] = (Battery() with { MinSocPercent = 101, MaxSocPercent = null }, "minSocPercent"),
        ["battery max SoC above 100"] = (Battery() with { MaxSocPercent = 100.5 }, "maxSocPercent"),
        ["battery max SoC below 0"] = (Battery() with { MaxSocPercent = -5 }, "maxSocPercent"),
        ["battery min SoC equal to max SoC"] = (Battery() with { MinSocPercent = 50, MaxSocPercent = 50 }, "minSocPercent"),
        ["battery min SoC above max SoC"] = (Battery() with { MinSocPercent = 80, MaxSocPercent = 20 }, "minSocPercent"),
        ["battery min SoC above the default max SoC"] = (Battery() with { MinSocPercent = 96, MaxSocPercent = null }, "minSocPercent"),
        ["battery round-trip efficiency of 0"] = (Battery() with { RoundTripEfficiencyPercent = 0 }, "roundTripEfficiencyPercent"),
        ["battery round-trip efficiency above 100"] = (Battery() with { RoundTripEfficiencyPercent = 101 }, "roundTripEfficiencyPercent"),
        ["battery with a positive minimum"] = (Battery() with { MinPowerKw = 10 }, "minPowerKw"),
        ["battery with a negative maximum"] = (Battery() with { MaxPowerKw = -10, MinPowerKw = -100 }, "maxPowerKw"),

        ["solar taking power from the grid"] = (Solar() with { MinPowerKw = -1 }, "minPowerKw"),
        ["solar with zero rated power"] = (Solar() with { MaxPowerKw = 0 }, "maxPowerKw"),
        ["wind with zero rated power"] = (Wind() with { MaxPowerKw = 0 }, "maxPowerKw"),
        ["wind taking power from the grid"] = (Wind() with { MinPowerKw = -5 }, "minPowerKw"),

        ["CHP without min stable power"] = (Chp() with { MinStablePowerKw = null }, "minStablePowerKw"),
        ["CHP with zero min stable power"] = (Chp() with { MinStablePowerKw = 0 }, "minStablePowerKw"),
        ["CHP with min stable power above max"] = (Chp() with { MinStablePowerKw = 120 }, "minStablePowerKw"),
        ["CHP with a non-zero minimum"] = (Chp() with { MinPowerKw = 40 }, "minPowerKw"),
        ["CHP with zero max power"] = (Chp() with { MaxPowerKw = 0, MinStablePowerKw = 1 }, "maxPowerKw"),
        ["CHP with negative min up time"] = (Chp() with { MinUpTimeSeconds = -1 }, "minUpTimeSeconds"),
        ["CHP with negative min down time"] = (Chp() with { MinDownTimeSeconds = -1 }, "minDownTimeSeconds"),

        ["CHP with a negative start-up cost"] = (Chp() with { StartUpCostEur = -0.01 }, "startUpCostEur"),
        ["CHP start-up cost beyond 100,000 EUR"] = (Chp() with { StartUpCostEur = AssetSpec.MaxStartUpCostEur + 1 }, "startUpCostEur"),
        ["CHP min up time longer than a week"] = (Chp() with { MinUpTimeSeconds = AssetSpec.MaxRunTimeSeconds + 1 }, "minUpTimeSeconds"),
        ["CHP min down time of 1e12 s"] = (Chp() with { MinDownTimeSeconds = 1e12 }, "minDownTimeSeconds"),
        ["min power beyond 1 TW"] = (Battery() with { MinPowerKw = -2e9 }, "minPowerKw"),
        ["max power beyond 1 TW"] = (Wind() with { MaxPowerKw = 2e9 }, "maxPowerKw"),
        ["absurd ramp rate"] = (Battery() with { RampRateKwPerSecond = 2e9 }, "rampRateKwPerSecond"),
        ["absurd marginal cost"] = (Solar() with { MarginalCostEurPerMwh = -2e6 }, "marginalCostEurPerMwh"),
        ["absurd energy capacity"] = (Battery() with { EnergyCapacityKwh = 2e12 }, "energyCapacityKwh"),
        ["absurd min stable power"] = (Chp() with { MinStablePowerKw = 2e9 }, "minStablePowerKw"),

        ["flexible load that exports"] = (FlexibleLoad() with { MaxPowerKw = 10 }, "maxPowerKw"),
        ["flexible load without flexibility"] = (FlexibleLoad() with { MinPowerKw = -50, MaxPowerKw = -50 }, "minPowerKw"),

        ["energy capacity on solar"] = (Solar() with { EnergyCapacityKwh = 100 }, "energyCapacityKwh"),
        ["min SoC on wind"] = (Wind() with { MinSocPercent = 10 }, "minSocPercent"),
        ["max SoC on CHP"] = (Chp() with { MaxSocPercent = 90 }, "maxSocPercent"),
        ["round-trip efficiency on a flexible load"] = (FlexibleLoad() with { RoundTripEfficiencyPercent = 90 }, "roundTripEfficiencyPercent"),
        ["min stable power on a battery"] = (Battery() with { MinStablePowerKw = 10 }, "minStablePowerKw"),
        ["min up time on solar"] = (Solar() with { MinUpTimeSeconds = 60 }, "minUpTimeSeconds"),
        ["start-up cost on a battery"] = (Battery() with { StartUpCostEur = 40 }, "startUpCostEur"),
        ["start-up cost on wind"] = (Wind() with { StartUpCostEur = 0 }, "startUpCostEur"),
        ["min down time on a flexible load"] = (FlexibleLoad() with { MinDownTimeSeconds = 60 }, "minDownTimeSeconds"),

        ["empty fleet id"] = (Solar() with { FleetId = "" }, "fleetId"),
        ["missing fleet id"] = (Solar() with { FleetId = null! }, "fleetId"),
        ["all-digit fleet id"] = (Solar() with { FleetId = "12345" }, "fleetId"),
        ["fleet id with a slash"] = (Solar() with { FleetId = "a/b" }, "fleetId"),
        ["fleet id with the partition separator"] = (Solar() with { FleetId = "north~p001" }, "fleetId"),
        ["fleet id of 65 characters"] = (Solar() with { FleetId = new string('f', 65) }, "fleetId"),
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void An_invalid_spec_names_the_offending_field(string defect, string field)
    {
        var spec = InvalidCase[defect].Spec;

        var errors = spec.Validate();

        Assert.Contains(field, errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Theory]
    [InlineData("battery with zero energy capacity")]
    [InlineData("battery min SoC equal to max SoC")]
    [InlineData("battery round-trip efficiency above 100")]
    [InlineData("solar with zero rated power")]
    [InlineData("CHP with min stable power above max")]
    [InlineData("flexible load that exports")]
    [InlineData("min stable power on a battery")]
    [InlineData("all-digit fleet id")]
    [InlineData("CHP min up time longer than a week")]
    [InlineData("absurd ramp rate")]
    public void A_single_defect_is_blamed_on_its_own_field_only(string defect)
    {
        var (spec, field) = InvalidCase[defect];

        Assert.Equal([field], FieldsNamed(spec));
    }

    public static TheoryData<string, AssetKind, double> NonFiniteCases
    {
        get
        {
            var data = new TheoryData<string, AssetKind, double>();
            (string Field, AssetKind Kind)[] numericFields =
            [
                ("minPowerKw", AssetKind.Battery), ("maxPowerKw", AssetKind.Solar), ("rampRateKwPerSecond", AssetKind.Wind),
                ("marginalCostEurPerMwh", AssetKind.FlexibleLoad), ("energyCapacityKwh", AssetKind.Battery),
                ("minSocPercent", AssetKind.Battery), ("maxSocPercent", AssetKind.Battery),
                ("roundTripEfficiencyPercent", AssetKind.Battery), ("minStablePowerKw", AssetKind.Chp),
                ("minUpTimeSeconds", AssetKind.Chp), ("minDownTimeSeconds", AssetKind.Chp), ("startUpCostEur", AssetKind.Chp),
                ("minPowerKw", AssetKind.Chp), ("maxPowerKw", AssetKind.FlexibleLoad), ("marginalCostEurPerMwh", AssetKind.Battery),
            ];
            foreach (var (fieldName, kind) in numericFields)
            {
                foreach (var value in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
                {
                    data.Add(fieldName, kind, value);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(NonFiniteCases))]
    public void A_non_finite_number_in_any_field_names_that_field(string field, AssetKind kind, double value)
    {
        var spec = With(Valid(kind), field, value);

        var errors = spec.Validate();

        Assert.Contains(errors, e => e.Field == field && e.Message.Contains("finite", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var spec = Battery() with { FleetId = "", EnergyCapacityKwh = null, MinSocPercent = 150, RampRateKwPerSecond = double.NaN };

        var fields = FieldsNamed(spec);

        Assert.Contains("fleetId", fields);
        Assert.Contains("energyCapacityKwh", fields);
        Assert.Contains("minSocPercent", fields);
        Assert.Contains("rampRateKwPerSecond", fields);
    }

    [Fact]
    public void Flexible_load_baseline_and_min_consumption_are_the_negated_power_limits()
    {
        var load = FlexibleLoad();

        Assert.Equal(200, load.BaselineKw);
        Assert.Equal(50, load.MinConsumptionKw);
    }

    [Fact]
    public void Battery_soc_window_and_efficiency_default_when_not_given()
    {
        var battery = Battery() with { MinSocPercent = null, MaxSocPercent = null, RoundTripEfficiencyPercent = null };

        Assert.Equal(5, battery.EffectiveMinSocPercent);
        Assert.Equal(95, battery.EffectiveMaxSocPercent);
        Assert.Equal(90, battery.EffectiveRoundTripEfficiencyPercent);
    }

    [Fact]
    public void An_asset_follows_at_its_ramp_or_without_one_steps_its_whole_range_within_a_second()
    {
        Assert.Equal(7, (Battery() with { RampRateKwPerSecond = 7 }).FollowRateKwPerSecond);

        var stepping = Battery() with { RampRateKwPerSecond = null };
        Assert.Equal(stepping.MaxPowerKw - stepping.MinPowerKw, stepping.FollowRateKwPerSecond);
    }

    private static AssetSpec With(AssetSpec spec, string field, double value) => field switch
    {
        "minPowerKw" => spec with { MinPowerKw = value },
        "maxPowerKw" => spec with { MaxPowerKw = value },
        "rampRateKwPerSecond" => spec with { RampRateKwPerSecond = value },
        "marginalCostEurPerMwh" => spec with { MarginalCostEurPerMwh = value },
        "energyCapacityKwh" => spec with { EnergyCapacityKwh = value },
        "minSocPercent" => spec with { MinSocPercent = value },
        "maxSocPercent" => spec with { MaxSocPercent = value },
        "roundTripEfficiencyPercent" => spec with { RoundTripEfficiencyPercent = value },
        "minStablePowerKw" => spec with { MinStablePowerKw = value },
        "minUpTimeSeconds" => spec with { MinUpTimeSeconds = value },
        "minDownTimeSeconds" => spec with { MinDownTimeSeconds = value },
        "startUpCostEur" => spec with { StartUpCostEur = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "unknown field"),
    };
}
