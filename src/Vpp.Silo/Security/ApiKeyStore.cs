using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Vpp.Silo.Security;

/// <summary>A key the silo accepts, held only as its SHA-256 hash.</summary>
public sealed record ApiKey(string Name, byte[] Hash, IReadOnlyList<string> Roles, RateLimitSettings RateLimit, IReadOnlyList<string>? Fleets = null, string? Trader = null)
{
    /// <summary>Short, non-secret tag of the key's hash: lets a dashboard cookie notice that its key was rotated.</summary>
    public string Fingerprint { get; } = Convert.ToHexString(SHA256.HashData(Hash), 0, 8);
}

/// <summary>
/// The keys from configuration ("Auth:ApiKeys"), plus VPP_API_KEY, plus — when neither names any key — one key
/// generated at start and written once to the log, so the API is never open by default.
/// </summary>
public sealed partial class ApiKeyStore
{
    public const string EnvironmentKeyName = "env:" + AuthOptions.EnvironmentKeyVariable;
    public const string GeneratedKeyName = "generated";

    private readonly IReadOnlyList<ApiKey> _keys;

    public ApiKeyStore(IOptions<AuthOptions> auth, IOptions<ApiLimitsOptions> limits, IConfiguration configuration, ILogger<ApiKeyStore> logger)
    {
        var defaultLimit = limits.Value.RateLimit;
        var keys = auth.Value.ApiKeys.Select(e => FromEntry(e, defaultLimit)).ToList();
        if (configuration[AuthOptions.EnvironmentKeyVariable] is { Length: > 0 } environmentKey)
        {
            keys.Add(new ApiKey(EnvironmentKeyName, HashOf(environmentKey), ApiRoles.All, defaultLimit));
        }

        if (keys.Count == 0)
        {
            var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            keys.Add(new ApiKey(GeneratedKeyName, HashOf(generated), ApiRoles.All, defaultLimit));
            LogGeneratedKey(logger, AuthOptions.EnvironmentKeyVariable, generated);
        }

        _keys = keys;
        LogKeysLoaded(logger, _keys.Count, string.Join(", ", _keys.Select(k => $"{k.Name} [{string.Join(' ', k.Roles)}]" + (k.Fleets is { } f ? $" fleets [{string.Join(' ', f)}]" : "") + (k.Trader is { } t ? $" trader {t}" : ""))));
    }

    public IReadOnlyList<ApiKey> Keys => _keys;

    /// <summary>
    /// The key matching <paramref name="presented"/>, or null. Compares fixed-length hashes in constant time and
    /// visits every key, so neither the key's length nor which key matched shows in the timing.
    /// </summary>
    public ApiKey? Find(string presented)
    {
        var hash = HashOf(presented);
        ApiKey? match = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                match = key;
            }
        }

        return match;
    }

    public ApiKey? FindByName(string name) => _keys.FirstOrDefault(k => k.Name == name);

    public static byte[] HashOf(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static ApiKey FromEntry(ApiKeyEntry entry, RateLimitSettings defaultLimit) =>
        new(entry.Name!, entry.Key is { } key ? HashOf(key) : Convert.FromHexString(entry.KeyHash!), [.. entry.Roles.Distinct()], entry.RateLimit ?? defaultLimit,
            entry.Fleets.Count == 0 ? null : [.. entry.Fleets.Distinct(StringComparer.Ordinal)], string.IsNullOrEmpty(entry.Trader) ? null : entry.Trader);

    // The one place a key is ever written anywhere: the operator needs it to call the API at all.
    [LoggerMessage(Level = LogLevel.Warning, Message =
        "No API key is configured (Auth:ApiKeys or {Variable}): generated a key with every role for this run only. X-Api-Key: {GeneratedKey}")]
    private static partial void LogGeneratedKey(ILogger logger, string variable, string generatedKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP API accepts {Count} API key(s): {Keys}")]
    private static partial void LogKeysLoaded(ILogger logger, int count, string keys);
}
