namespace Vpp.Silo.Security;

/// <summary>Configuration section "Auth": the API keys the silo accepts.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Environment variable (read through configuration) that adds one key holding every role.</summary>
    public const string EnvironmentKeyVariable = "VPP_API_KEY";

    /// <summary>Shorter keys are refused at start: they can be guessed.</summary>
    public const int MinKeyLength = 16;

    public List<ApiKeyEntry> ApiKeys { get; set; } = [];
}

/// <summary>
/// One configured key. Give either <see cref="Key"/> (the secret itself) or <see cref="KeyHash"/> (hex SHA-256 of the
/// key's UTF-8 bytes, e.g. <c>printf %s "$KEY" | sha256sum</c>) so configuration files need not hold the secret.
/// </summary>
public sealed class ApiKeyEntry
{
    /// <summary>Who holds the key; appears in logs and partitions the rate limit. Never the key itself.</summary>
    public string? Name { get; set; }

    public string? Key { get; set; }

    public string? KeyHash { get; set; }

    public List<string> Roles { get; set; } = [];

    /// <summary>
    /// The fleets this key may see and act on; empty means every fleet. A scoped key gets 404 for other fleets, their
    /// assets and their assets' telemetry (404 rather than 403, so it cannot learn which fleets and assets exist), its
    /// fleet list shows only its fleets, and endpoints that span fleets (grid frequency, the dashboard) refuse it.
    /// </summary>
    public List<string> Fleets { get; set; } = [];

    /// <summary>
    /// Overrides <see cref="ApiLimitsOptions.RateLimit"/> for this key (e.g. a gateway reporting many assets). A telemetry
    /// batch of n items costs n permits of it (in a window of its own for telemetry items, of the same size).
    /// </summary>
    public RateLimitSettings? RateLimit { get; set; }
}
