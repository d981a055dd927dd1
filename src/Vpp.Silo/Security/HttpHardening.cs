using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Net.Http.Headers;

namespace Vpp.Silo.Security;

/// <summary>
/// HTTP behind a TLS-terminating proxy: forwarded headers from the proxies named in Api:Proxy (so the client address
/// and the scheme are the real ones for rate limits, HSTS and the Secure cookie), HSTS outside Development, and
/// browser security headers on every response — API answers, problems, the sign-in page, the dashboard.
/// </summary>
public static class HttpHardening
{
    public const string ProxySection = "Api:Proxy";

    /// <summary>API answers, problems and the sign-in page: no content but the page itself, never framed.</summary>
    public const string DefaultContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// Pages whose scripts come from packages (the Orleans dashboard, the API reference): same origin only, never
    /// framed. The console's files set their own, stricter policy.
    /// </summary>
    public const string PagesContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static void AddVppHttpHardening(this WebApplicationBuilder builder)
    {
        var proxy = builder.Configuration.GetSection(ProxySection);
        var proxies = proxy.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = proxy.GetSection("KnownNetworks").Get<string[]>() ?? [];
        var forwardLimit = proxy.GetValue<int?>("ForwardLimit") ?? 1;
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = forwardLimit;

            // Without configuration only a proxy on this host (loopback) is believed; with it, only the ones named.
            if (proxies.Length + networks.Length > 0)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var address in proxies)
                {
                    o.KnownProxies.Add(IPAddress.TryParse(address, out var ip)
                        ? ip
                        : throw new InvalidOperationException($"{ProxySection}:KnownProxies: '{address}' is not an IP address"));
                }

                foreach (var network in networks)
                {
                    o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                        ? parsed
                        : throw new InvalidOperationException($"{ProxySection}:KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8)"));
                }
            }
        });
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = proxy.GetValue<TimeSpan?>("HstsMaxAge") ?? TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
    }

    /// <summary>First in the pipeline: everything after it sees the real client and scheme, and every answer gets the headers.</summary>
    public static void UseVppHttpHardening(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use((context, next) =>
        {
            // At the start of the response, so error answers (whose headers the exception handler clears) get them too.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                var path = context.Request.Path;
                var page = path.StartsWithSegments(DashboardAuthentication.DashboardPath) || path.StartsWithSegments(Api.ApiDocumentation.ReferencePath);
                headers.TryAdd(HeaderNames.ContentSecurityPolicy, page ? PagesContentSecurityPolicy : DefaultContentSecurityPolicy);
                headers.TryAdd(HeaderNames.XFrameOptions, "DENY");
                headers.TryAdd(HeaderNames.XContentTypeOptions, "nosniff");
                headers.TryAdd("Referrer-Policy", "no-referrer");
                return Task.CompletedTask;
            });
            return next(context);
        });
        if (!app.Environment.IsDevelopment())
        {
            // Sent only on HTTPS requests (as the proxy reports them), never for localhost.
            app.UseHsts();
        }
    }
}
