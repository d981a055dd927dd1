using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vpp.Silo.Hosting;

namespace Vpp.Testing.Api;

/// <summary>
/// The real silo host (Program.cs: configuration, Orleans silo, SQLite grain storage, HTTP pipeline) in-process,
/// on its own loopback silo/gateway ports and its own temporary SQLite file.
/// </summary>
/// <remarks>
/// Settings go in through <see cref="IWebHostBuilder.UseSetting"/>: for a minimal-hosting Program,
/// WebApplicationFactory hands them to Program as command-line arguments, and SiloConfiguration.AddSiloConfig
/// puts silo-config/ underneath the host's sources, so these override silo-config/appsettings.json per factory
/// (no process-wide environment variables).
/// </remarks>
/// <param name="services">Replacements of the host's services (e.g. the grains' clock), applied after Program's own.</param>
public sealed class VppApiFactory(
    IReadOnlyDictionary<string, string> settings, string environment = "Production", LogCapture? log = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    /// <summary>Everything the host logged (at the configured levels), to check what it does and does not write.</summary>
    public LogCapture Log { get; } = log ?? new LogCapture();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The environment a deployment runs in (the container image sets none, so Production).
        builder.UseEnvironment(environment);

        // The silo caps the thread pool of its own process; here that process runs the whole test assembly.
        builder.UseSetting(WorkerThreadLimit.Key, "0");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Log.Provider));
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }
}

/// <summary>
/// One silo for all API tests of a collection (each test project defines its <c>VppApiCollection</c>: xunit finds
/// collection definitions only in the test assembly); tests use fresh ids so they never see each other's grains.
/// </summary>
public sealed class VppApiFixture : IAsyncLifetime
{
    public VppApiFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "vpp-api-tests-" + Guid.NewGuid().ToString("N"));
        DatabasePath = Path.Combine(Root, "vpp.db");
        SiloPort = FreePort.Next();
        GatewayPort = FreePort.Next();
        var settings = SiloSettings(SiloPort, GatewayPort);
        settings["Storage:Provider"] = "Sqlite";
        settings["Storage:Sqlite:ConnectionString"] = $"Data Source={DatabasePath}";

        // The simulator's end-to-end tests run a fake clock ahead of this silo's (one simulated second per round,
        // rounds every 20 ms; the optimised day runs up to 45 simulated minutes ahead); ClockSkewTests checks the 5 s
        // default on a silo of its own.
        settings["Vpp:MaxClockSkew"] = "01:00:00";
        foreach (var (key, value) in TestKeys.Settings())
        {
            settings[key] = value;
        }

        Settings = settings;
    }

    /// <summary>What every test silo needs: its own loopback ports and service id, no demo, quiet logs, no silence timeouts.</summary>
    public static Dictionary<string, string> SiloSettings(int siloPort, int gatewayPort) =>
        new()
        {
            ["Orleans:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = "vpp-api-tests",
            ["Orleans:ServiceId"] = "vpp-api-tests-" + Guid.NewGuid().ToString("N")[..8],
            ["Storage:Provider"] = "Memory",
            ["Demo:Enabled"] = "false",
            // Long enough that no asset goes silent while the tests run; silence is the grain tests' business.
            ["Vpp:OfflineAfter"] = "00:10:00",
            // A bound, not an expectation: on a loaded 2-core machine an acknowledgement can take longer than the
            // production 2 s, and an asset counted as unanswered changes what a test reads.
            ["Vpp:SetpointAckTimeout"] = "00:00:30",
            ["Logging:LogLevel:Default"] = "Warning",
            // Short, so the event stream tests see a keep-alive without waiting the production 15 s.
            ["Api:EventStreamKeepAlive"] = "00:00:00.300",
            // WebApplicationFactory learns of a failed start only from an exception, not from an exit code.
            ["Host:RethrowStartupErrors"] = "true",
        };

    public string Root { get; }

    public string DatabasePath { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

    public VppApiFactory Factory { get; private set; } = null!;

    /// <summary>
    /// Sends the key holding every role (so API tests are about the API, not about auth), does not follow redirects,
    /// so tests see exactly what the server answered.
    /// </summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client sending <paramref name="apiKey"/> (none when null); dispose it after use.</summary>
    public HttpClient ClientWithKey(string? apiKey) => Factory.ClientWithKey(apiKey);

    public async Task InitializeAsync()
    {
        Factory = new VppApiFactory(Settings);
        Client = Factory.ClientWithKey(TestKeys.Everything);
        await Eventually.Until(
            () => Client.GetAsync("/health"),
            r => r.StatusCode == HttpStatusCode.OK,
            "the silo to report healthy",
            TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    /// <inheritdoc cref="TestIds.NewId"/>
    public static string NewId(string prefix) => TestIds.NewId(prefix);
}

public static class VppApiFactoryExtensions
{
    /// <summary>A client of the in-process server that sends <paramref name="apiKey"/> (if any) and never follows redirects.</summary>
    public static HttpClient ClientWithKey(this WebApplicationFactory<Program> factory, string? apiKey)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }
}

/// <summary>Raw HTTP helpers: requests are written as JSON text, answers read as JSON trees, so the tests pin the wire format.</summary>
public static class HttpJson
{
    public const string ProblemJson = "application/problem+json";

    public static Task<HttpResponseMessage> SendAsync(
        this HttpClient client, HttpMethod method, string url, string? body, string? contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            request.Content = content;
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, string body) =>
        client.SendAsync(HttpMethod.Put, url, body);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string body) =>
        client.SendAsync(HttpMethod.Post, url, body);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, JsonNode body) =>
        client.SendAsync(HttpMethod.Put, url, body.ToJsonString());

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, JsonNode body) =>
        client.SendAsync(HttpMethod.Post, url, body.ToJsonString());

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new Xunit.Sdk.XunitException("the response body is JSON null");
    }

    /// <summary>Asserts the status (and JSON content) of a success and returns the body.</summary>
    public static async Task<JsonNode> ExpectJsonAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    /// <summary>
    /// Asserts a refusal: the status, application/problem+json, a problem document carrying that status, never a 500,
    /// and (for 400s) the named fields in <c>errors</c>. Returns the problem document.
    /// </summary>
    public static async Task<JsonObject> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status, params string[] fields)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"a client's mistake answered 500: {text}");
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var problem = Assert.IsType<JsonObject>(JsonNode.Parse(text));
        Assert.Equal((int)status, problem["status"]?.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()), $"the problem has no title: {text}");
        if (fields.Length > 0)
        {
            var errors = problem["errors"] as JsonObject;
            Assert.True(errors is not null, $"the problem has no errors object: {text}");
            foreach (var field in fields)
            {
                Assert.True(errors.ContainsKey(field), $"errors does not name '{field}': {text}");
                var messages = Assert.IsType<JsonArray>(errors[field]);
                Assert.NotEmpty(messages);
            }
        }

        return problem;
    }

    public static double Number(this JsonNode? node, string property) =>
        node?[property]?.GetValue<double>() ?? throw new Xunit.Sdk.XunitException($"'{property}' is missing from {node?.ToJsonString()}");

    public static string Text(this JsonNode? node, string property) =>
        node?[property]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"'{property}' is missing from {node?.ToJsonString()}");

    public static bool Has(this JsonNode? node, string property) => node is JsonObject o && o.ContainsKey(property);
}

/// <summary>Valid asset specs of each kind, as JSON objects a test can tweak before sending.</summary>
public static class Specs
{
    public static JsonObject Battery(string fleetId, double minKw = -50, double maxKw = 100, double cost = 10, double capacityKwh = 200) => new()
    {
        ["fleetId"] = fleetId,
        ["kind"] = "battery",
        ["minPowerKw"] = minKw,
        ["maxPowerKw"] = maxKw,
        ["marginalCostEurPerMwh"] = cost,
        ["energyCapacityKwh"] = capacityKwh,
        ["minSocPercent"] = 10,
        ["maxSocPercent"] = 90,
        ["roundTripEfficiencyPercent"] = 88,
    };

    public static JsonObject Solar(string fleetId, double maxKw = 200) => new()
    {
        ["fleetId"] = fleetId,
        ["kind"] = "solar",
        ["minPowerKw"] = 0,
        ["maxPowerKw"] = maxKw,
    };

    public static JsonObject Wind(string fleetId, double maxKw = 300) => new()
    {
        ["fleetId"] = fleetId,
        ["kind"] = "wind",
        ["minPowerKw"] = 0,
        ["maxPowerKw"] = maxKw,
        ["rampRateKwPerSecond"] = 5,
        ["marginalCostEurPerMwh"] = 1,
    };

    public static JsonObject FlexibleLoad(string fleetId, double baselineKw = 30, double minConsumptionKw = 10) => new()
    {
        ["fleetId"] = fleetId,
        ["kind"] = "flexibleLoad",
        ["minPowerKw"] = -baselineKw,
        ["maxPowerKw"] = -minConsumptionKw,
        ["marginalCostEurPerMwh"] = 80,
    };

    public static JsonObject Chp(string fleetId, double maxKw = 400, double minStableKw = 150) => new()
    {
        ["fleetId"] = fleetId,
        ["kind"] = "chp",
        ["minPowerKw"] = 0,
        ["maxPowerKw"] = maxKw,
        ["marginalCostEurPerMwh"] = 60,
        ["minStablePowerKw"] = minStableKw,
    };

    public static JsonObject OfKind(string kind, string fleetId) => kind switch
    {
        "battery" => Battery(fleetId),
        "solar" => Solar(fleetId),
        "wind" => Wind(fleetId),
        "flexibleLoad" => FlexibleLoad(fleetId),
        "chp" => Chp(fleetId),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>Set-up steps the tests share: register, report, read, and wait for the fleet to catch up.</summary>
public static class Steps
{
    public const double Tolerance = 1e-6;

    public static async Task<JsonNode> RegisterAsync(this HttpClient client, string assetId, JsonObject spec) =>
        await (await client.PutJsonAsync($"/api/v1/assets/{assetId}", spec)).ExpectJsonAsync();

    public static async Task TelemetryAsync(this HttpClient client, string assetId, string body)
    {
        var response = await client.PostJsonAsync($"/api/v1/assets/{assetId}/telemetry", body);
        Assert.True(
            response.StatusCode == HttpStatusCode.Accepted,
            $"telemetry for {assetId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A battery at 50 % SoC, idle: it can move over its whole range.</summary>
    public static async Task OnlineBatteryAsync(this HttpClient client, string assetId, string fleetId, double maxKw = 100, double cost = 10, double minKw = -50)
    {
        await client.RegisterAsync(assetId, Specs.Battery(fleetId, minKw: minKw, maxKw: maxKw, cost: cost));
        await client.TelemetryAsync(assetId, """{"activePowerKw": 0, "stateOfChargePercent": 50}""");
    }

    /// <summary>A fresh fleet of one online battery (<see cref="OnlineBatteryAsync"/>), once the fleet counts it.</summary>
    public static async Task<string> OnlineBatteryFleetAsync(this HttpClient client, string prefix)
    {
        var fleetId = VppApiFixture.NewId(prefix);
        await client.OnlineBatteryAsync(VppApiFixture.NewId("bat"), fleetId);
        await client.WaitForOnlineAsync(fleetId, count: 1, maxKw: 100);
        return fleetId;
    }

    public static async Task<JsonNode> GetAssetAsync(this HttpClient client, string assetId) =>
        await (await client.GetAsync($"/api/v1/assets/{assetId}")).ExpectJsonAsync();

    public static async Task<JsonNode> GetFleetAsync(this HttpClient client, string fleetId) =>
        await (await client.GetAsync($"/api/v1/fleets/{fleetId}")).ExpectJsonAsync();

    public static async Task<JsonArray> GetEventsAsync(this HttpClient client, string fleetId, int limit = 500) =>
        Assert.IsType<JsonArray>(await (await client.GetAsync($"/api/v1/fleets/{fleetId}/events?limit={limit}")).ExpectJsonAsync());

    /// <summary>Assets reach their fleet through partitions in the background: polls the fleet view (bounded) until it shows the condition.</summary>
    public static Task<JsonNode> WaitForFleetAsync(this HttpClient client, string fleetId, Func<JsonNode, bool> condition, string what) =>
        Eventually.Until(
            async () =>
            {
                var response = await client.GetAsync($"/api/v1/fleets/{fleetId}");
                return response.StatusCode == HttpStatusCode.OK ? await response.ReadJsonAsync() : new JsonObject();
            },
            f => f.Has("fleetId") && condition(f),
            $"fleet {fleetId}: {what}");

    public static Task<JsonNode> WaitForOnlineAsync(this HttpClient client, string fleetId, int count, double maxKw) =>
        client.WaitForFleetAsync(
            fleetId,
            f => f.Number("onlineCount") == count && Near(f.Number("maxPowerKw"), maxKw),
            $"{count} online assets worth {maxKw} kW");

    public static bool Near(double a, double b) => Math.Abs(a - b) <= Tolerance;
}

/// <summary>Instants for tests against the real clock.</summary>
public static class ApiTimes
{
    /// <summary>An instant as the API writes it (UTC, whole seconds).</summary>
    public static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The start of the hour after next: slots there lie ahead for the whole of a test.</summary>
    public static DateTimeOffset NextHour => new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddHours(DateTimeOffset.UtcNow.Hour + 2);
}
