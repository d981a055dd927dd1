using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>
/// Behind a TLS proxy (Api:Proxy:KnownProxies): the proxy's X-Forwarded-Proto/-For are believed, a stranger's are
/// not; HSTS goes out on HTTPS as the proxy reports it, and key guessing is limited per real client address.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string ProxyAddress = "10.20.30.40";

    /// <summary>The test server has no socket: the connection's address comes from a test header, before the silo's pipeline.</summary>
    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers["X-Test-Remote"].FirstOrDefault() ?? ProxyAddress);
                return following(context);
            });
            next(app);
        };
    }

    private static HttpRequestMessage Via(string remote, string path, string? clientAddress = null, bool https = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "vpp.example.com";
        request.Headers.Add("X-Test-Remote", remote);
        request.Headers.Add("X-Forwarded-Proto", https ? "https" : "http");
        if (clientAddress is not null)
        {
            request.Headers.Add("X-Forwarded-For", clientAddress);
        }

        return request;
    }

    [Fact]
    public async Task The_known_proxy_is_believed_a_stranger_is_not_and_key_guesses_are_limited_per_real_client()
    {
        var settings = VppApiFixture.SiloSettings(FreePort.Next(), FreePort.Next());
        settings["Auth:ApiKeys:0:Name"] = "reader";
        settings["Auth:ApiKeys:0:Key"] = TestKeys.Reader;
        settings["Auth:ApiKeys:0:Roles:0"] = "read";
        settings["Api:Proxy:KnownProxies:0"] = ProxyAddress;
        settings["Api:SignInRateLimit:PermitLimit"] = "2";
        settings["Api:SignInRateLimit:Window"] = "01:00:00";
        await using var unstarted = new VppApiFactory(settings);
        await using var factory = unstarted.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter, RemoteAddressFromHeader>()));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await Eventually.Until(() => client.GetAsync("/health"), r => r.StatusCode == HttpStatusCode.OK, "the silo to report healthy", TimeSpan.FromSeconds(30));

        var viaProxy = await client.SendAsync(Via(ProxyAddress, "/health/live", "203.0.113.5"));
        var viaStranger = await client.SendAsync(Via("198.51.100.7", "/health/live", "203.0.113.5"));

        Assert.Contains("max-age=", Assert.Single(viaProxy.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.False(viaStranger.Headers.Contains("Strict-Transport-Security"));

        // Two refused dashboard keys per client address and window: the third from that client is 429, another client
        // behind the same proxy still gets its own answer.
        async Task<HttpStatusCode> GuessAsync(string clientAddress)
        {
            var request = Via(ProxyAddress, "/dashboard/", clientAddress);
            request.Headers.Add("X-Api-Key", "guess-guess-guess-000001");
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await GuessAsync("203.0.113.5"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GuessAsync("203.0.113.5"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GuessAsync("203.0.113.5"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GuessAsync("203.0.113.9"));
    }
}
