using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Vpp.Silo.Security;

/// <summary>
/// A telemetry batch counts its items in the key's rate limit: n items cost n permits of a per-key window as large as
/// the key's request limit (<see cref="ApiKeyEntry.RateLimit"/>, else Api:RateLimit). The request itself also
/// takes its one permit of the request window, so a flood of single requests and a flood of items are both bounded.
/// </summary>
public sealed class TelemetryItemRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly Func<string, RateLimitSettings> _settingsOf;

    public TelemetryItemRateLimiter(ApiKeyStore keys, IOptions<ApiLimitsOptions> limits)
    {
        _settingsOf = name => keys.FindByName(name)?.RateLimit ?? limits.Value.RateLimit;
        _limiter = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.GetFixedWindowLimiter(name, n =>
        {
            var settings = _settingsOf(n);
            return new FixedWindowRateLimiterOptions { PermitLimit = settings.PermitLimit, Window = settings.Window, QueueLimit = 0, AutoReplenishment = true };
        }));
    }

    /// <summary>Takes <paramref name="items"/> permits for the caller's key; null when granted, else when to retry.</summary>
    public TimeSpan? TryAcquire(ClaimsPrincipal user, int items)
    {
        var name = user.Identity?.Name ?? "";
        var settings = _settingsOf(name);
        if (items > settings.PermitLimit)
        {
            // Never grantable in one window: the caller must split the batch (or the key needs a larger limit).
            return settings.Window;
        }

        using var lease = _limiter.AttemptAcquire(name, items);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : settings.Window;
    }

    public void Dispose() => _limiter.Dispose();
}
