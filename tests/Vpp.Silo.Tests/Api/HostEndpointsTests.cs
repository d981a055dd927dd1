using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Vpp.Silo.Tests.Api;

/// <summary>The host around the API: health, dashboard, and the test host's own configuration taking effect.</summary>
[Collection(VppApiCollection.Name)]
public sealed class HostEndpointsTests(VppApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Health_answers_200_once_the_silo_is_active()
    {
        var response = await Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Liveness_answers_200_without_running_checks()
    {
        var response = await Client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_reports_the_silo_active_and_the_grain_storage_answering()
    {
        var response = await Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.Equal("silo active", (string?)body["checks"]!["silo"]!["description"]);
        Assert.Equal("grain storage answers", (string?)body["checks"]!["storage"]!["description"]);
    }

    [Fact]
    public async Task Dashboard_serves_the_orleans_dashboard_as_html()
    {
        var response = await Client.GetAsync("/dashboard");
        for (var hops = 0; IsRedirect(response.StatusCode) && hops < 5; hops++)
        {
            var location = response.Headers.Location!;
            response = await Client.GetAsync(location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost/dashboard"), location));
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Orleans", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_root_serves_the_operator_console_which_links_the_dashboard()
    {
        var response = await Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("operator console", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("href=\"/dashboard\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"lib/chart.umd.min.js\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/lib/chart.umd.min.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/js/app.js")).StatusCode);
    }

    [Fact]
    public void The_test_host_overrides_silo_config_with_its_own_ports_and_storage()
    {
        var configuration = fixture.Factory.Services.GetRequiredService<IConfiguration>();
        var endpoints = fixture.Factory.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;

        Assert.Equal(fixture.SiloPort, endpoints.SiloPort);
        Assert.Equal(fixture.GatewayPort, endpoints.GatewayPort);
        Assert.Equal("Sqlite", configuration["Storage:Provider"]);
        Assert.Equal($"Data Source={fixture.DatabasePath}", configuration["Storage:Sqlite:ConnectionString"]);
        Assert.Equal("false", configuration["Demo:Enabled"]);

        // The rest still comes from silo-config/appsettings.json.
        Assert.Equal("00:00:30", configuration["Vpp:RampHorizon"]);
    }

    [Fact]
    public async Task Registered_assets_are_stored_in_the_test_hosts_own_sqlite_file()
    {
        var assetId = VppApiFixture.NewId("stored");
        var fleetId = VppApiFixture.NewId("fleet");
        await (await Client.PutJsonAsync($"/api/v1/assets/{assetId}", Specs.Solar(fleetId))).ExpectJsonAsync();

        await using var connection = new SqliteConnection($"Data Source={fixture.DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrleansStorage WHERE ServiceId = $serviceId";
        command.Parameters.AddWithValue("$serviceId", fixture.Settings["Orleans:ServiceId"]);
        var rows = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(rows > 0, "no grain state row in the fixture's SQLite file");
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;
}
