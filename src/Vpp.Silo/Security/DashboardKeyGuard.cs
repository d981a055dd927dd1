using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Vpp.Silo.Api;

namespace Vpp.Silo.Security;

/// <summary>
/// /dashboard with an X-Api-Key header: a key that may not open the dashboard (unknown, without the read role, or
/// scoped to fleets) gets one and the same 401, so a guesser learns nothing about which keys exist, and each such
/// attempt counts against the client address's budget (Api:SignInRateLimit, shared in size with the sign-in form);
/// beyond it every key attempt from that address answers 429.
/// </summary>
public static class DashboardKeyGuard
{
    public static void UseDashboardKeyGuard(this WebApplication app)
    {
        if (!DashboardAuthentication.IsRequired(app.Configuration, app.Environment))
        {
            return;
        }

        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(DashboardAuthentication.DashboardPath)
                && context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName),
            branch => branch.Use(GuardAsync));
    }

    /// <summary>A key that may open the dashboard: the read role, every fleet.</summary>
    public static bool MayOpenDashboard(System.Security.Claims.ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true && user.IsInRole(ApiRoles.Read) && FleetScope.FleetsOf(user) is null;

    private static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var result = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        if (result.Succeeded && MayOpenDashboard(result.Principal))
        {
            await next(context);
            return;
        }

        var attempts = context.RequestServices.GetRequiredService<FailedKeyAttempts>();
        if (attempts.TryCount(context.Connection.RemoteIpAddress) is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ApiProblems.RetryAfterSeconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiProblems.TooManyRequests(retryAfter, "too many refused API keys from this address").ExecuteAsync(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = $"{ApiKeyAuthenticationHandler.SchemeName} header=\"{ApiKeyAuthenticationHandler.HeaderName}\"";
        await ApiProblems.Unauthorized($"the {ApiKeyAuthenticationHandler.HeaderName} header does not hold a key that may open the dashboard").ExecuteAsync(context);
    }
}

/// <summary>Refused dashboard keys per client address, in windows of Api:SignInRateLimit.</summary>
public sealed class FailedKeyAttempts(IOptions<ApiLimitsOptions> limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.Value.SignInRateLimit.PermitLimit,
            Window = limits.Value.SignInRateLimit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Counts one refused key; null while the address is within its budget, else when to try again.</summary>
    public TimeSpan? TryCount(IPAddress? address)
    {
        using var lease = _limiter.AttemptAcquire("failed-key:" + address);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : limits.Value.SignInRateLimit.Window;
    }

    public void Dispose() => _limiter.Dispose();
}
