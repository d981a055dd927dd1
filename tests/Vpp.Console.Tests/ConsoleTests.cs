using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vpp.Console.Tests;

/// <summary>The operator console in Debian's Chromium against a real silo with the live demo fleet.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ConsoleTests(ConsoleSilo silo)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sign_in_with_a_wrong_key_is_refused()
    {
        var page = await silo.OpenAsync();

        await ConsolePage.SignInAsync(page, "not-a-key-of-this-vpp-0000");

        await Expect(page.Locator("#signin-error")).ToContainTextAsync("refused");
        await Expect(page.Locator("#fleets")).ToHaveCountAsync(0);
        await Expect(page.Locator("#who")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('vpp.console.apiKey')"));
    }

    [Fact]
    public async Task The_demo_fleets_numbers_on_the_page_match_the_API()
    {
        var page = await silo.OpenAsync();
        await ConsolePage.SignInAsync(page, SiloProcess.ApiKey);
        var row = page.Locator($"#fleets tr[data-fleet-id='{ConsoleSilo.FleetId}']");
        await Expect(row).ToBeVisibleAsync();

        await MatchesApiAsync(row, "overview");
        await ConsolePage.ScreenshotAsync(page, "console-overview");

        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);
        await MatchesApiAsync(page.Locator("#fleet-figures"), "fleet detail");
    }

    [Fact]
    public async Task A_dispatch_through_the_form_changes_the_charts_target_line()
    {
        var page = await silo.OpenAsync();
        await ConsolePage.SignInAsync(page, SiloProcess.ApiKey);
        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);
        var fleet = (await silo.FleetAsync())!.Value;
        var newTargetKw = Math.Round(fleet.GetProperty("maxPowerKw").GetDouble() * 0.4) + 7; // +7: never the target it has
        await Eventually.Until(() => ConsolePage.ChartLatestAsync(page, 0), v => v is not null, "the chart's first sample", Patience);

        await page.GetByLabel("Target (kW, + export)").FillAsync(newTargetKw.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("Strategy").SelectOptionAsync("meritOrder");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dispatch…" }).ClickAsync();
        await Expect(page.Locator("#dispatch-confirm")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm dispatch" }).ClickAsync();

        await Expect(page.Locator("#dispatch-result")).ToContainTextAsync("Dispatched");
        await Eventually.Until(
            () => ConsolePage.ChartLatestAsync(page, 0),
            v => v is { } kw && Math.Abs(kw - newTargetKw) < 1e-6,
            $"the chart's target line to reach {newTargetKw} kW",
            Patience);
        Assert.Equal(newTargetKw, (await silo.FleetAsync())!.Value.GetProperty("targetKw").GetDouble(), 6);
        await Expect(page.Locator($"#events li[data-kind='dispatch']").First).ToContainTextAsync("Dispatched");
        await ConsolePage.ScreenshotAsync(page, "console-fleet");
    }

    [Fact]
    public async Task Putting_an_asset_into_maintenance_shows_the_reallocation_and_the_fleet_stays_at_target()
    {
        // Every battery with charge left delivers a share of a pro-rata target at half the fleet's range (a merit-order
        // target may leave them all at 0 kW, e.g. when cheaper wind covers it), and half leaves the rest room to pick it up.
        var maxPowerKw = (await silo.FleetAsync())!.Value.GetProperty("maxPowerKw").GetDouble();
        using (var dispatch = await silo.Silo.Http.PostAsJsonAsync(
            $"/api/v1/fleets/{ConsoleSilo.FleetId}/dispatch", new { targetKw = Math.Round(maxPowerKw / 2), strategy = "proRata" }))
        {
            Assert.True(dispatch.IsSuccessStatusCode, await dispatch.Content.ReadAsStringAsync());
        }

        var page = await silo.OpenAsync();
        await ConsolePage.SignInAsync(page, SiloProcess.ApiKey);
        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);
        // An online battery that is delivering something, so taking it out leaves a share to pick up.
        await page.GetByLabel("Kind", new() { Exact = true }).SelectOptionAsync("battery");
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("online");
        await page.Locator("#assets th button[data-sort='setpointKw']").ClickAsync();
        await page.Locator("#assets th button[data-sort='setpointKw']").ClickAsync(); // descending
        await Expect(page.Locator("#assets th[aria-sort='descending']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#assets-summary")).ToContainTextAsync("page 1");
        var top = page.Locator("#asset-rows tr").First;
        var assetId = (await Eventually.Until(
            async () => (Id: await top.GetAttributeAsync("data-asset-id"), SetpointKw: await ConsolePage.FigureAsync(top, "setpointKw")),
            row => row.Id is not null && row.SetpointKw > 0.5,
            "the table's top online battery to deliver a share of the target",
            Patience,
            row => $"{row.Id} at {row.SetpointKw} kW")).Id!;
        // The table refreshes and re-sorts every few seconds: narrow it to that asset before acting on its row.
        await page.GetByLabel("Asset id contains").FillAsync(assetId);
        await Expect(page.Locator("#asset-rows tr")).ToHaveCountAsync(1);
        var row = page.Locator($"#asset-rows tr[data-asset-id='{assetId}']");

        // Older reallocations may name this asset too (among those that came online at start, or as one that picked up
        // a share): the one to see is the first after the click that names it as the asset whose status changed.
        var sequenceBefore = (await EventsAsync(1)).Select(e => e.GetProperty("sequence").GetInt64()).DefaultIfEmpty(0).Max();
        await row.GetByRole(AriaRole.Button, new() { Name = "Maintenance…" }).ClickAsync();
        await Expect(page.Locator("#status-dialog")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm maintenance" }).ClickAsync();
        await Expect(page.Locator("#status-dialog")).ToHaveCountAsync(0);

        try
        {
            var sequence = await Eventually.Until(
                async () => (await EventsAsync(100))
                    .Where(e => e.GetProperty("sequence").GetInt64() > sequenceBefore && e.GetProperty("kind").GetString() == "reallocation"
                        && e.TryGetProperty("assetIds", out var ids) && ids.EnumerateArray().Any(id => id.GetString() == assetId))
                    .Select(e => e.GetProperty("sequence").GetInt64())
                    .DefaultIfEmpty(0).Min(),
                s => s > 0,
                $"a reallocation after {assetId} went into maintenance",
                Patience);
            var reallocation = page.Locator($"#events li[data-kind='reallocation'][data-sequence='{sequence}']");
            await Expect(reallocation).ToBeVisibleAsync();
            await Expect(reallocation.Locator("[data-field='pickedUpKw']")).ToBeVisibleAsync();
            await Expect(reallocation.Locator(".picked-up-by")).ToContainTextAsync("picked up by: ");
            var shortfallInEvent = double.Parse((await reallocation.Locator("[data-field='shortfallKw']").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(shortfallInEvent) < 1, $"the fleet should still be at target after {assetId} left; the event says shortfall {shortfallInEvent} kW");

            var asset = await silo.Silo.Http.GetFromJsonAsync<JsonElement>($"/api/v1/assets/{assetId}");
            Assert.Equal("maintenance", asset.GetProperty("status").GetString());
            var figures = page.Locator("#fleet-figures");
            await Eventually.Until(
                () => ConsolePage.FigureAsync(figures, "shortfallKw"),
                v => v is { } kw && Math.Abs(kw) < 1,
                "the page to show the fleet at target (no shortfall)",
                Patience,
                v => $"shortfall {v}");
        }
        finally
        {
            await silo.Silo.Http.PostAsJsonAsync($"/api/v1/assets/{assetId}/status", new { status = "online", reason = "test over" });
        }
    }

    private async Task<JsonElement[]> EventsAsync(int limit) =>
        (await silo.Silo.Http.GetFromJsonAsync<JsonElement[]>($"/api/v1/fleets/{ConsoleSilo.FleetId}/events?limit={limit}"))!;

    [Fact]
    public async Task An_admin_key_may_take_assets_into_maintenance_but_sees_no_dispatch()
    {
        var page = await silo.OpenAsync();
        await ConsolePage.SignInAsync(page, ConsoleSilo.OperatorKey);
        await Expect(page.Locator("#who-roles")).ToHaveTextAsync("read, admin");
        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);

        await Expect(page.Locator("#assets button[data-action]").First).ToBeVisibleAsync();
        await Expect(page.Locator("#dispatch-form")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_read_only_key_sees_the_fleet_but_no_actions()
    {
        var page = await silo.OpenAsync();
        // Keyboard only: the key field has focus, Enter submits, Tab reaches the fleet link.
        await Expect(page.GetByLabel("API key")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ConsoleSilo.ReadOnlyKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#who-roles")).ToHaveTextAsync("read");
        var fleetLink = page.Locator($"#fleets a[href='#/fleets/{ConsoleSilo.FleetId}']");
        await Expect(fleetLink).ToBeVisibleAsync();
        await fleetLink.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#fleet-title")).ToHaveTextAsync($"Fleet {ConsoleSilo.FleetId}");
        await Expect(page.Locator("#asset-rows tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("#events li").First).ToBeVisibleAsync();
        await Expect(page.Locator("#dispatch-form")).ToHaveCountAsync(0);
        await Expect(page.Locator("#assets button[data-action]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#assets th", new() { HasText = "Action" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_bad_target_shows_the_APIs_error_message_next_to_the_field()
    {
        const string badTarget = "1e400";
        using var direct = await silo.Silo.Http.PostAsync(
            $"/api/v1/fleets/{ConsoleSilo.FleetId}/dispatch",
            new StringContent($$"""{"targetKw": {{badTarget}}, "strategy": "meritOrder"}""", Encoding.UTF8, "application/json"));
        var apiMessage = (await direct.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("targetKw")[0].GetString()!;
        var targetBefore = (await silo.FleetAsync())!.Value.GetProperty("targetKw").GetDouble();
        var page = await silo.OpenAsync();
        await ConsolePage.SignInAsync(page, SiloProcess.ApiKey);
        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);

        await page.GetByLabel("Target (kW, + export)").FillAsync(badTarget);
        await page.GetByRole(AriaRole.Button, new() { Name = "Dispatch…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm dispatch" }).ClickAsync();

        var error = page.Locator("#dispatch-target-error");
        await Expect(error).ToContainTextAsync(apiMessage);
        Assert.Equal("dispatch-target-error", await page.GetByLabel("Target (kW, + export)").GetAttributeAsync("aria-describedby"));
        await Expect(page.Locator("#dispatch-result")).ToBeEmptyAsync();
        Assert.Equal(targetBefore, (await silo.FleetAsync())!.Value.GetProperty("targetKw").GetDouble());
    }

    [Fact]
    public async Task A_trader_sees_its_virtual_battery_and_the_operator_sees_how_the_fleet_is_sliced()
    {
        var vbId = $"vb-console-{Guid.NewGuid():N}"[..24];
        using (var put = await silo.Silo.Http.PutAsJsonAsync($"/api/v1/virtual-batteries/{vbId}",
            new { traderId = ConsoleSilo.TraderId, fleetId = ConsoleSilo.FleetId, powerKw = 10, energyKwh = 20, initialSocPercent = 40 }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        // The trader lands on its own virtual batteries and opens one: figures, next quarter hours and the SoC chart's plan.
        var trader = await silo.OpenAsync();
        await ConsolePage.SignInAsync(trader, ConsoleSilo.TraderKey);
        var row = trader.Locator($"#virtual-batteries tr[data-vb-id='{vbId}']");
        await Expect(row).ToBeVisibleAsync();
        Assert.Equal(10, await ConsolePage.FigureAsync(row, "powerKw"));
        await row.Locator("a").ClickAsync();
        await Expect(trader.Locator("#vb-title")).ToHaveTextAsync($"Virtual battery {vbId}");
        var figures = trader.Locator("#vb-figures");
        await Expect(figures.Locator("[data-field='socPercent']")).ToHaveAttributeAsync("data-value", "40");
        Assert.Equal(20, await ConsolePage.FigureAsync(figures, "energyKwh"));
        await Expect(trader.Locator("#vb-next-slots tbody tr")).ToHaveCountAsync(8);
        var planned = await trader.EvaluateAsync<int>("() => window.Chart?.getChart('soc-chart')?.data.datasets[1].data.length ?? 0");
        Assert.Equal(8, planned);
        await Expect(trader.Locator("#slice-books")).ToHaveCountAsync(0);
        await ConsolePage.ScreenshotAsync(trader, "console-virtual-battery");

        // The operator sees the demo fleet's book: the trader's slices among what is sold, and what is free.
        var operatorPage = await silo.OpenAsync();
        await ConsolePage.SignInAsync(operatorPage, SiloProcess.ApiKey);
        await operatorPage.Locator("#nav-virtual-batteries").ClickAsync();
        var book = operatorPage.Locator($"#slice-books [data-fleet-id='{ConsoleSilo.FleetId}']");
        var traderRow = book.Locator($"tr[data-trader-id='{ConsoleSilo.TraderId}']");
        await Expect(traderRow).ToBeVisibleAsync();
        var api = await silo.Silo.Http.GetFromJsonAsync<JsonElement>("/api/v1/virtual-batteries/books");
        var demo = api.EnumerateArray().Single(b => b.GetProperty("fleetId").GetString() == ConsoleSilo.FleetId);
        var alpha = demo.GetProperty("traders").EnumerateArray().Single(t => t.GetProperty("traderId").GetString() == ConsoleSilo.TraderId);
        Assert.Equal(alpha.GetProperty("powerKw").GetDouble(), await ConsolePage.FigureAsync(traderRow, "powerKw"));
        Assert.Equal(demo.GetProperty("soldPowerKw").GetDouble(), await ConsolePage.FigureAsync(book, "soldPowerKw"));
        Assert.True(await ConsolePage.FigureAsync(book, "freePowerKw") is >= 0);
        await ConsolePage.ScreenshotAsync(operatorPage, "console-slices");
    }

    [Fact]
    public async Task At_phone_width_the_pages_fit_the_screen()
    {
        var page = await silo.OpenAsync(width: 390, height: 844);
        await ConsolePage.SignInAsync(page, SiloProcess.ApiKey);
        await Expect(page.Locator($"#fleets tr[data-fleet-id='{ConsoleSilo.FleetId}']")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the overview scrolls sideways at 390 px");

        await ConsolePage.OpenFleetAsync(page, ConsoleSilo.FleetId);
        await Expect(page.Locator("#asset-rows tr").First).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "the fleet page scrolls sideways at 390 px");
        await ConsolePage.ScreenshotAsync(page, "console-fleet-phone");
    }

    private async Task MatchesApiAsync(ILocator scope, string where)
    {
        await Eventually.Until(
            async () => await ConsolePage.DifferencesAsync(scope, (await silo.FleetAsync())!.Value),
            differences => differences.Count == 0,
            $"the {where} to show the API's figures",
            Patience,
            differences => string.Join("; ", differences));
    }
}
