using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Vpp.Console.Tests;

/// <summary>
/// One real silo process serving the console with the live demo fleet (in-memory storage, its own loopback ports),
/// a read-only key beside the full <see cref="SiloProcess.ApiKey"/>, and Debian's Chromium driven by Playwright
/// (never a downloaded browser). Shared by the tests of <see cref="ConsoleCollection"/>.
/// </summary>
public sealed class ConsoleSilo : IAsyncLifetime
{
    public const string FleetId = "demo";
    public const string ReadOnlyKey = "console-viewer-key-0123456789";

    /// <summary>An operator's key: reads, and manages assets (admin), but does not trade (no dispatch).</summary>
    public const string OperatorKey = "console-operator-key-0123456789";
    public const int DemoAssetCount = 300;

    /// <summary>A trader's key (read and dispatch): it sees only the virtual batteries of <see cref="TraderId"/>.</summary>
    public const string TraderKey = "console-trader-key-0123456789";
    public const string TraderId = "alpha";

    private IPlaywright? _playwright;

    public SiloProcess Silo { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl => $"http://127.0.0.1:{Silo.HttpPort}";

    /// <summary>Where screenshots go: $TEST_RESULTS_DIR/console (scripts/test.sh collects it), else artifacts/ of the repo.</summary>
    public static string ArtifactsDirectory { get; } = Directory.CreateDirectory(Path.Combine(
        Environment.GetEnvironmentVariable("TEST_RESULTS_DIR") is { Length: > 0 } results ? results
            : Path.Combine(RepositoryRoot.Path, "artifacts", "test-results"),
        "console")).FullName;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("VPP_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        // Expectations poll until they hold; their bound is for a loaded 2-core machine, where the demo silo, the browser
        // and the test runner share the cores (Playwright's 5 s default has run out there while the page was still right to wait).
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(30_000);
        Silo = await SiloProcess.StartReadyAsync(SiloProcessOptions.Cluster("console", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Demo__AssetCount"] = DemoAssetCount.ToString(),
            // The demo fleet's 96-slot day solves in seconds on a quiet machine; a loaded 2-core CI machine needs more
            // than the product's 10 s, and the test waits for the proposal, not for a speed.
            ["Vpp__Optimisation__TimeLimit"] = "00:04:00",
            ["Auth__ApiKeys__0__Name"] = "viewer",
            ["Auth__ApiKeys__0__Key"] = ReadOnlyKey,
            ["Auth__ApiKeys__0__Roles__0"] = "read",
            ["Auth__ApiKeys__1__Name"] = "operator",
            ["Auth__ApiKeys__1__Key"] = OperatorKey,
            ["Auth__ApiKeys__1__Roles__0"] = "read",
            ["Auth__ApiKeys__1__Roles__1"] = "admin",
            ["Auth__Traders__0__Id"] = TraderId,
            ["Auth__Traders__0__Name"] = "Alpha Trading",
            ["Auth__ApiKeys__2__Name"] = "alpha-desk",
            ["Auth__ApiKeys__2__Key"] = TraderKey,
            ["Auth__ApiKeys__2__Trader"] = TraderId,
            ["Auth__ApiKeys__2__Roles__0"] = "read",
            ["Auth__ApiKeys__2__Roles__1"] = "dispatch",
        }, ["--demo", "--in-memory"]), TimeSpan.FromSeconds(90));
        await Eventually.Until(
            () => FleetAsync(),
            f => f is { } fleet && fleet.GetProperty("onlineCount").GetInt32() > DemoAssetCount / 2 && fleet.TryGetProperty("targetKw", out _),
            "the demo fleet to be online with its initial target",
            TimeSpan.FromSeconds(90),
            f => f?.ToString() ?? "no fleet yet");

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (scripts/test.sh does) or set VPP_CHROMIUM");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The flags this machine's closed network needs (no background calls to Google), and no sandbox as root.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>The demo fleet as the API shows it now (null before it exists).</summary>
    public async Task<JsonElement?> FleetAsync()
    {
        using var response = await Silo.Http.GetAsync($"/api/v1/fleets/{FleetId}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    /// <summary>A fresh browser context (own sessionStorage) at the given size, with the console open.</summary>
    public async Task<IPage> OpenAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/");
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Silo.DisposeAsync();
    }
}

[CollectionDefinition(nameof(ConsoleCollection))]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleSilo>;
