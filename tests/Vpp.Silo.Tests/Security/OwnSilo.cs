using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>
/// A silo of its own (in-memory storage, own ports) for a test that needs configuration the shared silo cannot
/// have: no keys at all, VPP_API_KEY, the Development environment.
/// </summary>
public sealed class OwnSilo : IAsyncDisposable
{
    private OwnSilo(VppApiFactory factory) => Factory = factory;

    public VppApiFactory Factory { get; }

    public LogCapture Log => Factory.Log;

    public static Task<OwnSilo> StartAsync(IReadOnlyDictionary<string, string> settings, string environment = "Production") =>
        StartAsync(settings, services: null, environment);

    /// <param name="services">Replacements of the host's services (e.g. the grains' clock), applied after Program's own.</param>
    public static async Task<OwnSilo> StartAsync(
        IReadOnlyDictionary<string, string> settings, Action<IServiceCollection>? services, string environment = "Production")
    {
        var all = VppApiFixture.SiloSettings(FreePort.Next(), FreePort.Next());
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var silo = new OwnSilo(new VppApiFactory(all, environment, services: services));
        try
        {
            using var client = silo.Factory.ClientWithKey(null);
            await Eventually.Until(() => client.GetAsync("/health"), r => r.StatusCode == HttpStatusCode.OK, "the silo to report healthy", TimeSpan.FromSeconds(30));
            return silo;
        }
        catch
        {
            try
            {
                await silo.DisposeAsync();
            }
            catch (ArgumentNullException)
            {
                // A host whose start failed before its hosted services were created throws from StopAsync
                // (Microsoft.Extensions.Hosting); the start failure rethrown below is what the caller needs.
            }

            throw;
        }
    }

    public HttpClient ClientWithKey(string? key) => Factory.ClientWithKey(key);

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
