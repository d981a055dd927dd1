using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Vpp.Silo.Api;

namespace Vpp.Silo.Security;

/// <summary>
/// Per-key rate limits (ASP.NET Core rate limiter, a fixed window per key name). Requests without a valid key share
/// a window per client address, so guessing keys is limited too. Refusals are 429 problems with Retry-After.
/// </summary>
public static class ApiRateLimiting
{
    public const string PolicyName = "per-api-key";

    /// <summary>Sign-in form posts, per client address: a person needs a few tries, a key guesser many.</summary>
    public const string SignInPolicyName = "sign-in";

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PolicyName, PartitionOf);
            o.AddPolicy(SignInPolicyName, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<ApiLimitsOptions>>().Value.SignInRateLimit;
                return RateLimitPartition.GetFixedWindowLimiter("sign-in:" + context.Connection.RemoteIpAddress, _ => Options(settings));
            });
            o.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> PartitionOf(HttpContext context)
    {
        var keys = context.RequestServices.GetRequiredService<ApiKeyStore>();
        var key = context.User.Identity is { IsAuthenticated: true, Name: { } name } ? keys.FindByName(name) : null;
        var settings = key?.RateLimit ?? context.RequestServices.GetRequiredService<IOptions<ApiLimitsOptions>>().Value.RateLimit;
        var partition = key is null ? "address:" + context.Connection.RemoteIpAddress : "key:" + key.Name;
        return RateLimitPartition.GetFixedWindowLimiter(partition, _ => Options(settings));
    }

    private static FixedWindowRateLimiterOptions Options(RateLimitSettings settings) => new()
    {
        PermitLimit = settings.PermitLimit,
        Window = settings.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? after
            : context.RequestServices.GetRequiredService<IOptions<ApiLimitsOptions>>().Value.RateLimit.Window;
        context.Response.Headers.RetryAfter = ApiProblems.RetryAfterSeconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ApiProblems.TooManyRequests(retryAfter).ExecuteAsync(context);
    }
}
