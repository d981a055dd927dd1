using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vpp.Console.Tests;

/// <summary>The fleet page's proposed schedule against prices: chart, revenue, binding limits, infeasibility and apply.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class OptimiseViewTests(ConsoleSilo silo)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>How long a proposal may take on a loaded 2-core machine: the bound of an event wait, not a speed claim.</summary>
    private const float SolveBound = 300_000;

    [Fact]
    public async Task A_shipped_price_day_is_proposed_and_charted_with_revenue_and_binding_limits()
    {
        var day = DateTime.UtcNow.Date.AddDays(3);
        var shippedPrices = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "tests", "Vpp.Domain.Tests", "Optimisation", "prices", "spring-volatile.csv"))
            .Skip(1).Where(l => l.Length > 0).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var page = await silo.OpenAsync();
        await ConsolePage.SignInAsync(page, SiloProcess.ApiKey);
        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);

        await page.GetByLabel("Price series").SelectOptionAsync("spring-volatile");
        await page.GetByLabel("Day (UTC)").FillAsync(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose" }).ClickAsync();

        await Expect(page.Locator("#optimise-result")).ToContainTextAsync("Proposal for 96 quarter hours", new() { Timeout = SolveBound });
        var prices = await ChartSeriesAsync(page, 0);
        Assert.Equal(shippedPrices, prices.Select(p => p.Y!.Value).ToArray());
        Assert.Equal(new DateTimeOffset(day, TimeSpan.Zero).ToUnixTimeMilliseconds(), prices[0].X);
        Assert.Equal(96, (await ChartSeriesAsync(page, 1)).Count);
        Assert.Contains(await ChartLabelsAsync(page), l => l.StartsWith("SoC ", StringComparison.Ordinal));
        Assert.NotNull(await ConsolePage.FigureAsync(page.Locator("#optimise-figures"), "revenueEur"));
        await Expect(page.Locator("#optimise-binding li[data-constraint]").First).ToBeVisibleAsync();
        await ConsolePage.ScreenshotAsync(page, "console-optimise");
    }

    [Fact]
    public async Task A_pasted_price_series_is_applied_as_the_fleets_schedule_after_confirmation()
    {
        // Three days ahead, so the stored schedule never reaches the fleet while the other tests dispatch it. A flat
        // price of 0 leaves the fleet near its consumption: far inside what the schedule path accepts.
        var from = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(3).AddHours(12), TimeSpan.Zero);
        var csv = "from,eurPerMwh\n" + string.Concat(Enumerable.Range(0, 4).Select(i => $"{from.AddMinutes(15 * i):yyyy-MM-ddTHH:mm:ssZ},0\n"));
        var page = await silo.OpenAsync();
        await ConsolePage.SignInAsync(page, SiloProcess.ApiKey);
        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);
        await page.GetByLabel("Price series").SelectOptionAsync("csv");
        await page.GetByLabel("Prices CSV (one quarter hour a line)").FillAsync(csv);
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose" }).ClickAsync();
        await Expect(page.Locator("#optimise-result")).ToContainTextAsync("Proposal for 4 quarter hours", new() { Timeout = SolveBound });

        await page.GetByRole(AriaRole.Button, new() { Name = "Apply as schedule…" }).ClickAsync();
        await Expect(page.Locator("#optimise-confirm")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm: store as schedule" }).ClickAsync();
        try
        {
            await Expect(page.Locator("#optimise-result")).ToContainTextAsync("Stored as the schedule", new() { Timeout = SolveBound });
            // The chart shows the applied answer; the fleet's schedule holds exactly its targets (rounded to the watt).
            var charted = (await ChartSeriesAsync(page, 1)).Select(p => p.Y!.Value).ToArray();
            var schedule = await silo.Silo.Http.GetFromJsonAsync<JsonElement>($"/api/v1/fleets/{ConsoleSilo.FleetId}/schedule?{Range(from)}");
            var stored = schedule.GetProperty("slots").EnumerateArray()
                .Where(s => s.GetProperty("start").GetDateTimeOffset() >= from)
                .Select(s => s.GetProperty("targetKw").GetDouble()).ToArray();
            Assert.Equal(4, charted.Length);
            Assert.Equal(charted.Length, stored.Length);
            for (var i = 0; i < stored.Length; i++)
            {
                Assert.True(Math.Abs(charted[i] - stored[i]) <= 0.001, $"slot {i}: chart {charted[i]} kW, schedule {stored[i]} kW");
            }
        }
        finally
        {
            await silo.Silo.Http.DeleteAsync($"/api/v1/fleets/{ConsoleSilo.FleetId}/schedule?{Range(from)}");
        }
    }

    [Fact]
    public async Task An_unreachable_end_SoC_shows_the_APIs_explanation_and_a_read_only_key_gets_no_apply()
    {
        var slot = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(2).AddHours(12), TimeSpan.Zero);
        var csv = $"from,eurPerMwh\n{slot:yyyy-MM-ddTHH:mm:ssZ},80\n";
        using var direct = await silo.Silo.Http.PostAsJsonAsync($"/api/v1/fleets/{ConsoleSilo.FleetId}/optimise",
            new { from = slot, to = slot.AddMinutes(15), prices = new[] { new { from = slot, eurPerMwh = 80.0 } }, endSocPercent = 85.0 });
        var problem = await direct.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(direct.StatusCode == HttpStatusCode.UnprocessableEntity, $"{direct.StatusCode}: {problem}");
        Assert.Equal("endSoc", problem.GetProperty("constraint").GetString());
        var page = await silo.OpenAsync();
        await ConsolePage.SignInAsync(page, ConsoleSilo.ReadOnlyKey);
        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);
        await Expect(page.Locator("#optimise-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#optimise-apply")).ToHaveCountAsync(0);

        await page.GetByLabel("Price series").SelectOptionAsync("csv");
        await page.GetByLabel("Prices CSV (one quarter hour a line)").FillAsync(csv);
        await page.GetByLabel("Battery end SoC (%)").FillAsync("85");
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose" }).ClickAsync();

        var error = page.Locator("#optimise-error");
        await Expect(error).ToContainTextAsync("SoC end condition cannot be met", new() { Timeout = SolveBound });
        await Expect(error).ToHaveAttributeAsync("data-constraint", "endSoc");
        await Expect(page.Locator("#optimise-proposal")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Self_consumption_is_chosen_in_the_form_and_its_import_and_export_figures_are_shown()
    {
        var from = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(3).AddHours(6), TimeSpan.Zero);
        var csv = "from,eurPerMwh\n" + string.Concat(Enumerable.Range(0, 4).Select(i => $"{from.AddMinutes(15 * i):yyyy-MM-ddTHH:mm:ssZ},{40 + (30 * i)}\n"));
        var page = await silo.OpenAsync();
        await ConsolePage.SignInAsync(page, SiloProcess.ApiKey);
        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);
        await page.GetByLabel("Price series").SelectOptionAsync("csv");
        await page.GetByLabel("Prices CSV (one quarter hour a line)").FillAsync(csv);

        await page.GetByLabel("Objective").SelectOptionAsync("selfConsumption");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Propose" }).ClickAsync(),
            r => r.Url.Contains("/optimise", StringComparison.Ordinal) && r.Request.Method == "POST",
            new() { Timeout = SolveBound });

        // The page shows the figures of the answer it received, and asked for self-consumption.
        Assert.True(response.Ok, $"{response.Status}: {await response.TextAsync()}");
        Assert.Equal("selfConsumption", JsonDocument.Parse(response.Request.PostData!).RootElement.GetProperty("objective").GetString());
        var proposal = await response.JsonAsync();
        Assert.Equal("selfConsumption", proposal!.Value.GetProperty("objective").GetString());
        await Expect(page.Locator("#optimise-result")).ToContainTextAsync("Proposal for 4 quarter hours (selfConsumption)");
        var figures = page.Locator("#optimise-figures");
        Assert.Equal(proposal.Value.GetProperty("importKwh").GetDouble(), await ConsolePage.FigureAsync(figures, "importKwh"));
        Assert.Equal(proposal.Value.GetProperty("exportKwh").GetDouble(), await ConsolePage.FigureAsync(figures, "exportKwh"));
        Assert.Null(await ConsolePage.FigureAsync(figures, "greedyProfitEur"));
        await Expect(figures.Locator("[data-field='objective']")).ToHaveTextAsync("Self-consumption: the least energy imported");
    }

    [Fact]
    public async Task A_malformed_CSV_line_is_named_before_anything_is_sent()
    {
        var page = await silo.OpenAsync();
        await ConsolePage.SignInAsync(page, SiloProcess.ApiKey);
        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);

        await page.GetByLabel("Price series").SelectOptionAsync("csv");
        await page.GetByLabel("Prices CSV (one quarter hour a line)").FillAsync("from,eurPerMwh\n2030-01-01T00:00:00Z,12\n2030-01-01T00:15:00Z,twelve\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose" }).ClickAsync();

        await Expect(page.Locator("#optimise-prices-error")).ToContainTextAsync("line 3");
        await Expect(page.Locator("#optimise-proposal")).ToBeHiddenAsync();
    }

    private static string Range(DateTimeOffset from) =>
        $"from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(from.AddHours(1).ToString("O", CultureInfo.InvariantCulture))}";

    private sealed record Point(double X, double? Y);

    /// <summary>One line of the proposal chart as Chart.js holds it (x: ms since 1970 UTC).</summary>
    private static async Task<List<Point>> ChartSeriesAsync(IPage page, int series) =>
        [.. (await page.EvaluateAsync<double?[][]>(
            "series => (window.Chart.getChart('optimise-chart')?.data.datasets[series]?.data ?? []).map(p => [p.x, p.y])", series))
            .Select(p => new Point(p[0]!.Value, p[1]))];

    private static async Task<string[]> ChartLabelsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("() => (window.Chart.getChart('optimise-chart')?.data.datasets ?? []).map(d => d.label)");
}
