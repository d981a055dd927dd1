namespace Vpp.Silo.Security;

/// <summary>Configuration section "Api": limits that protect the silo from one noisy or hostile caller.</summary>
public sealed class ApiLimitsOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest request body accepted (bytes); larger answers 413. Endpoints may raise it with a request size limit.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Largest body of POST /api/v1/telemetry (bytes). A batch of the documented maximum of 10,000 items with 64-character
    /// asset ids and every field set measures about 2.0 MB (1.2 MB with 15-character ids and two values); 4 MiB leaves room for pretty-printed JSON.
    /// </summary>
    public long MaxTelemetryBatchBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Largest body of PUT /api/v1/fleets/{fleetId}/assets (bytes). 10,000 assets with 64-character ids and every spec
    /// field set measure about 4.5 MB; 8 MiB leaves room for pretty-printed JSON.
    /// </summary>
    public long MaxAssetBatchBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Server-Sent Event streams (fleet events and output) one API key may hold open at once; more answer 429. A console
    /// tab on a fleet holds two (events and output), so 16 lets one operator key watch eight fleets at once.
    /// </summary>
    public int MaxEventStreamsPerKey { get; set; } = 16;

    /// <summary>Default per-key limit; a key's own <see cref="ApiKeyEntry.RateLimit"/> overrides it.</summary>
    public RateLimitSettings RateLimit { get; set; } = new();

    /// <summary>Dashboard sign-in attempts per client address (default 10 per minute).</summary>
    public RateLimitSettings SignInRateLimit { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>At most <see cref="PermitLimit"/> requests per <see cref="Window"/> (a fixed window), per key.</summary>
public sealed class RateLimitSettings
{
    public int PermitLimit { get; set; } = 100;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);
}
