using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vpp.Client.Errors;

namespace Vpp.Client.Tests;

[Collection(SdkClusterCollection.Name)]
public sealed class ConnectionTests(SdkClusterFixture fixture)
{
    [Fact]
    public async Task Connecting_to_a_port_where_no_silo_listens_is_unavailable()
    {
        var options = new VppClientOptions { LocalGatewayPort = FreePort.Next(), ConnectTimeout = TimeSpan.FromSeconds(1) };

        var error = await Assert.ThrowsAsync<VppUnavailableException>(() => VppClient.ConnectAsync(options));

        Assert.Contains($"local gateway port {options.LocalGatewayPort}", error.Message);
    }

    [Fact]
    public async Task Unusable_options_are_refused_naming_the_option()
    {
        var options = new VppClientOptions { Gateways = ["127.0.0.1:30000", "no-port"], TelemetryBatchSize = 0 };

        var error = await Assert.ThrowsAsync<VppValidationException>(() => VppClient.ConnectAsync(options));

        Assert.Equal(["Gateways[1]", "TelemetryBatchSize"], error.Fields);
    }

    [Fact]
    public async Task Incomplete_certificate_options_are_refused_naming_the_option()
    {
        var missingFiles = new VppClientOptions { Gateways = ["127.0.0.1:30000"], ClientCertificatePath = "/nonexistent/client.crt" };
        var caWithoutCertificate = new VppClientOptions { Gateways = ["127.0.0.1:30000"], CaCertificatePath = "/nonexistent/ca.crt" };

        var missing = await Assert.ThrowsAsync<VppValidationException>(() => VppClient.ConnectAsync(missingFiles));
        var orphan = await Assert.ThrowsAsync<VppValidationException>(() => VppClient.ConnectAsync(caWithoutCertificate));

        Assert.Equal(["ClientCertificatePath", "ClientKeyPath", "CaCertificatePath"], missing.Fields);
        Assert.Equal(["ClientCertificatePath"], orphan.Fields);
    }

    [Fact]
    public async Task A_host_registers_the_client_and_connects_it_at_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var options = fixture.Options();
        builder.Services.AddVppClient(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
            o.Gateways = options.Gateways;
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var vpp = host.Services.GetRequiredService<VppClient>();
            var (fleetId, _) = await fixture.OnlineFleetAsync(assets: 1);

            Assert.Equal(1, (await vpp.GetFleetAsync(fleetId)).Counts.OnlineCount);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
