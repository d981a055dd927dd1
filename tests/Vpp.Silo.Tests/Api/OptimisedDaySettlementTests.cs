using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vpp.Domain.Schedules;
using Vpp.Silo.Tests.Security;
using static Vpp.Testing.Api.ApiTimes;

namespace Vpp.Silo.Tests.Api;

/// <summary>
/// An optimised day applied, dispatched and settled through the real host: the proposal is stored with
/// <c>?apply=true</c>, the grains' fake clock runs through its slots so the schedule dispatches each one to the fleet,
/// the battery reports what it does, and the settlement shows each slot's requested energy equal to the proposal's.
/// </summary>
public sealed class OptimisedDaySettlementTests
{
    private static string At(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_applied_proposal_is_dispatched_slot_by_slot_and_settled_against_its_targets()
    {
        // Five minutes before a quarter hour near the real time: the first slot lies ahead, as the schedule path requires.
        var clock = new FakeTimeProvider(QuarterHour.Floor(DateTimeOffset.UtcNow).AddMinutes(10));
        var from = QuarterHour.Ceiling(clock.GetUtcNow());
        var settings = new Dictionary<string, string>(TestKeys.Settings())
        {
            // The schedule's alarm looks at the fake clock this often; telemetry 5 simulated minutes apart is no gap.
            ["Vpp:ClockRecheckInterval"] = "00:00:00.200",
            ["Vpp:MeasurementStaleAfter"] = "00:06:00",
            ["Vpp:OfflineAfter"] = "01:00:00",
            ["Vpp:MaxClockSkew"] = "01:00:00",
        };
        await using var silo = await OwnSilo.StartAsync(
            settings, services => services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, clock));
        using var client = silo.ClientWithKey(TestKeys.Everything);
        var fleetId = VppApiFixture.NewId("optsettle");
        var assetId = VppApiFixture.NewId("bat");
        await client.OnlineBatteryAsync(assetId, fleetId); // 50 kW charge, 100 kW discharge, 200 kWh at 50 %, 88 % round trip
        await client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);
        var body = new JsonObject
        {
            ["from"] = Iso(from),
            ["to"] = Iso(from.AddMinutes(30)),
            ["prices"] = new JsonArray(
                new JsonObject { ["from"] = Iso(from), ["eurPerMwh"] = 20 },
                new JsonObject { ["from"] = Iso(from.AddMinutes(15)), ["eurPerMwh"] = 200 }),
        };

        var applied = await (await client.PostJsonAsync($"/api/v1/fleets/{fleetId}/optimise?apply=true", body)).ExpectJsonAsync();

        Assert.True(applied["applied"]!.GetValue<bool>());
        var targets = applied["slots"]!.AsArray().Select(s => Math.Round(s.Number("targetKw"), 3)).ToArray();
        Assert.Equal(-50, targets[0], 3); // buys at 20 EUR/MWh …
        Assert.True(targets[1] > 40, $"sells at 200 EUR/MWh: {targets[1]} kW"); // … and sells what it stored

        // Each slot: the clock reaches its start (1 ms after, past the first, so the meters split the boundary cleanly),
        // the schedule dispatches its target, and the battery reports holding it every 5 minutes to the slot's end.
        for (var slot = 0; slot < targets.Length; slot++)
        {
            var start = from.AddMinutes(15 * slot);
            clock.SetUtcNow(slot == 0 ? start : start.AddMilliseconds(1));
            var targetKw = targets[slot];
            await client.WaitForFleetAsync(fleetId, f => f["targetKw"]?.GetValue<double>() is { } kw && Math.Abs(kw - targetKw) < 1e-3, $"slot {slot} dispatched ({targetKw} kW)");
            await client.TelemetryAsync(assetId, $$"""{"timestamp": "{{At(clock.GetUtcNow())}}", "activePowerKw": {{Kw(targetKw)}}}""");
            foreach (var minutes in new[] { 5, 10, 15 })
            {
                clock.SetUtcNow(start.AddMinutes(minutes));
                await client.TelemetryAsync(assetId, $$"""{"timestamp": "{{At(clock.GetUtcNow())}}", "activePowerKw": {{Kw(targetKw)}}}""");
            }
        }

        var range = $"from={Uri.EscapeDataString(Iso(from))}&to={Uri.EscapeDataString(Iso(from.AddMinutes(30)))}";
        var settlement = await Eventually.Until(
            async () => await (await client.GetAsync($"/api/v1/fleets/{fleetId}/settlement?{range}&assets=none")).ExpectJsonAsync(),
            s => s["slots"]!.AsArray().Count == 2 && s["slots"]!.AsArray().All(x => x!["complete"]!.GetValue<bool>()),
            "both slots metered completely");

        var slots = settlement["slots"]!.AsArray();
        for (var slot = 0; slot < targets.Length; slot++)
        {
            var settled = slots[slot]!;
            Assert.Equal(Iso(from.AddMinutes(15 * slot)), Iso(DateTimeOffset.Parse(settled.Text("start"), CultureInfo.InvariantCulture)));

            // Requested energy is the stored target over the whole slot: the schedule steps the request at the slot start.
            Assert.Equal(targets[slot] * QuarterHour.Hours, settled.Number("requestedKwh"), 6);
            Assert.Equal(targets[slot] * QuarterHour.Hours, settled.Number("deliveredKwh"), 3);
            Assert.Equal(settled.Number("deliveredKwh") - settled.Number("requestedKwh"), settled.Number("deviationKwh"), 9);
        }
    }

    private static string Kw(double kw) => kw.ToString("0.###", CultureInfo.InvariantCulture);
}
