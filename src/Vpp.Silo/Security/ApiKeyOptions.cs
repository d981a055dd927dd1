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

    /// <summary>The traders (tenants) owning virtual batteries; a key names its trader in <see cref="ApiKeyEntry.Trader"/>.</summary>
    public List<TraderEntry> Traders { get; set; } = [];
}

/// <summary>One trader: an id (what virtual batteries name as their owner) and a display name.</summary>
public sealed class TraderEntry
{
    public string? Id { get; set; }

    public string? Name { get; set; }
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

    /// <summary>
    /// The trader (one of <see cref="AuthOptions.Traders"/>) this key belongs to. A trader's key sees only that trader's
    /// virtual batteries (404 for any other's) and, unless <see cref="Fleets"/> names some, no fleet or asset at all.
    /// A key without a trader is the operator's: it sees every virtual battery its fleets allow.
    /// </summary>
    public string? Trader { get; set; }
}
