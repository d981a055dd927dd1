using Vpp.Domain.Assets;
using Vpp.Domain.GridServices;
using Vpp.Domain.Simulation;
using Vpp.Domain.Tests.Assets;

namespace Vpp.Domain.Tests.GridServices;

/// <summary>
/// The FCR maths driving the simulator's battery physics: a pool of batteries holds a 1 MW band through a
/// prequalification-style profile (−200 mHz, back, +200 mHz, back; 15 minutes each) and tracks the droop.
/// </summary>
public sealed class FcrPrequalificationTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private const double ContractedKw = 1000;

    /// <summary>12 batteries of ±100 kW / 200 kWh ramping at 10 kW/s, at different states of charge.</summary>
    private static (AssetSpec Spec, SimulatedBattery Battery)[] Pool(double? socPercent = null) =>
        Enumerable.Range(0, 12).Select(i =>
        {
            var spec = Specs.Battery() with { RampRateKwPerSecond = 10 };
            return (spec, new SimulatedBattery(spec, new Random(i), socPercent ?? 40 + (2 * i)));
        }).ToArray();

    private static (List<FcrObservation> Observations, double[] SocPercent) Run((AssetSpec Spec, SimulatedBattery Battery)[] pool, IReadOnlyList<FrequencyStep> profile)
    {
        var settings = FcrSettings.Default;
        var energies = pool.Select(p => BatteryEnergy.Of(p.Spec)!.Value).ToArray();
        var reserves = FcrReserves.Assign(ContractedKw, energies.Select(e => FcrSocWindow.MaxReserveKw(e, settings.ActivationTime)).ToArray());
        Assert.Equal(0, reserves.ShortfallKw);

        var observations = new List<FcrObservation>();
        var t = Specs.T0;
        for (var offset = TimeSpan.Zero; offset < FcrPrequalification.Duration(profile, Hold); offset += Tick)
        {
            var frequencyHz = FcrPrequalification.FrequencyAt(profile, offset);
            var requiredKw = FcrDroop.ResponseKw(ContractedKw, frequencyHz, settings);
            var participants = pool.Select((p, i) => new FcrParticipant(reserves.ReservesKw[i], 0, p.Spec.MinPowerKw, p.Spec.MaxPowerKw)).ToArray();
            var split = FcrReserves.Split(participants, requiredKw);

            t += Tick;
            var deliveredKw = 0.0;
            for (var i = 0; i < pool.Length; i++)
            {
                var socKw = FcrSocManagement.SetpointKw(energies[i], reserves.ReservesKw[i], pool[i].Battery.StateOfChargePercent!.Value, frequencyHz, settings);
                deliveredKw += pool[i].Battery.Step(Tick, t, split.DeltasKw[i] + socKw)!.ActivePowerKw;
            }

            observations.Add(new FcrObservation(t, requiredKw, deliveredKw));
        }

        return (observations, pool.Select(p => p.Battery.StateOfChargePercent!.Value).ToArray());
    }

    [Fact]
    public void The_profile_steps_to_minus_and_plus_200_mHz_and_back()
    {
        var profile = FcrPrequalification.StepProfile(Hold);
        Assert.Equal([50, 49.8, 50, 50.2, 50], profile.Select(s => s.FrequencyHz));
        Assert.Equal(TimeSpan.FromMinutes(75), FcrPrequalification.Duration(profile, Hold));
    }

    [Fact]
    public void A_battery_pool_tracks_the_required_power_within_5_percent_30_seconds_after_each_step()
    {
        var profile = FcrPrequalification.StepProfile(Hold);
        var (observations, _) = Run(Pool(), profile);

        var violations = FcrPrequalification.Violations(profile, Specs.T0, observations, ContractedKw, TimeSpan.FromSeconds(30));

        Assert.Empty(violations);
        Assert.Contains(observations, o => o.RequiredKw == ContractedKw && Math.Abs(o.DeliveredKw - ContractedKw) < 1);
        Assert.Contains(observations, o => o.RequiredKw == -ContractedKw && Math.Abs(o.DeliveredKw + ContractedKw) < 1);
    }

    [Fact]
    public void The_check_catches_a_pool_that_cannot_follow()
    {
        // Batteries parked at min SoC cannot discharge: the −200 mHz step is not delivered.
        var profile = FcrPrequalification.StepProfile(Hold);
        var (observations, _) = Run(Pool(socPercent: 10), profile);

        var violations = FcrPrequalification.Violations(profile, Specs.T0, observations, ContractedKw, TimeSpan.FromSeconds(30));

        Assert.NotEmpty(violations);
        Assert.All(violations, v => Assert.True(v.ErrorKw < 0));
    }

    [Fact]
    public void Soc_management_inside_the_deadband_moves_a_low_battery_back_towards_its_window()
    {
        var profile = new[] { new FrequencyStep(TimeSpan.Zero, 50.005) };
        var pool = Pool(socPercent: 15);

        var (observations, soc) = Run(pool, profile);

        Assert.All(observations, o => Assert.Equal(0, o.RequiredKw));
        Assert.All(soc, s => Assert.True(s > 15.5, $"SoC {s} did not rise"));
    }
}
