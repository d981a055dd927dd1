using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vpp.Console.Tests;

/// <summary>What the tests do on the console page, in the words of an operator.</summary>
public static class ConsolePage
{
    public static async Task SignInAsync(IPage page, string key)
    {
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public static async Task OpenFleetAsync(IPage page, string fleetId)
    {
        await page.Locator($"#fleets a[href='#/fleets/{fleetId}']").ClickAsync();
        await Expect(page.Locator("#fleet-title")).ToHaveTextAsync($"Fleet {fleetId}");
    }

    /// <summary>The raw value behind a figure (data-value), null when the page shows none.</summary>
    public static async Task<double?> FigureAsync(ILocator scope, string field)
    {
        var raw = await scope.Locator($"[data-field='{field}']").First.GetAttributeAsync("data-value");
        return string.IsNullOrEmpty(raw) ? null : double.Parse(raw, CultureInfo.InvariantCulture);
    }

    /// <summary>The newest point of one of the chart's lines (0 target, 1 allocated, 2 measured), read from Chart.js itself.</summary>
    public static Task<double?> ChartLatestAsync(IPage page, int series) =>
        page.EvaluateAsync<double?>(
            "series => { const c = window.Chart?.getChart('output-chart'); const d = c?.data.datasets[series].data; return d && d.length ? d[d.length - 1].y : null; }",
            series);

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ConsoleSilo.ArtifactsDirectory, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
    }

    /// <summary>
    /// Whether the figures in <paramref name="scope"/> show the fleet the API shows: counts and target exactly, live
    /// power values within 2 % of the fleet's range (the demo assets report every 2 s, the page refreshes every 5 s).
    /// Returns the differences, empty when they match.
    /// </summary>
    public static async Task<List<string>> DifferencesAsync(ILocator scope, JsonElement api)
    {
        var differences = new List<string>();
        var rangeKw = Math.Max(10, api.GetProperty("maxPowerKw").GetDouble() - api.GetProperty("minPowerKw").GetDouble());
        async Task Compare(string field, double tolerance)
        {
            double? expected = api.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
            var shown = await FigureAsync(scope, field);
            var same = expected is null ? shown is null : shown is { } s && Math.Abs(s - expected.Value) <= tolerance;
            if (!same)
            {
                differences.Add($"{field}: page {shown?.ToString(CultureInfo.InvariantCulture) ?? "none"}, API {expected?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
            }
        }

        await Compare("assetCount", 0);
        await Compare("onlineCount", Math.Ceiling(api.GetProperty("assetCount").GetInt32() * 0.02));
        await Compare("targetKw", 1e-6);
        await Compare("allocatedKw", rangeKw * 0.02);
        await Compare("shortfallKw", rangeKw * 0.02);
        await Compare("minPowerKw", rangeKw * 0.02);
        await Compare("maxPowerKw", rangeKw * 0.02);
        if (api.TryGetProperty("measuredKw", out _))
        {
            await Compare("measuredKw", rangeKw * 0.02);
        }

        return differences;
    }
}
