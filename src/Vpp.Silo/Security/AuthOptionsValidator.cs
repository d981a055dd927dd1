using Microsoft.Extensions.Options;

namespace Vpp.Silo.Security;

/// <summary>Refuses to start with a key that is unnamed, short, ambiguous, or has no or unknown roles.</summary>
public sealed class AuthOptionsValidator(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var entry = options.ApiKeys[i];
            var at = $"Auth:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                failures.Add($"{at}:Name is required (it names the key in logs and rate limits)");
            }
            else if (!names.Add(entry.Name))
            {
                failures.Add($"{at}:Name '{entry.Name}' is used by another key");
            }

            failures.AddRange(SecretProblems(at, entry));
            if (entry.Roles.Count == 0)
            {
                failures.Add($"{at}:Roles must list at least one of {string.Join(", ", ApiRoles.All)}");
            }

            failures.AddRange(entry.Roles.Where(r => !ApiRoles.IsKnown(r))
                .Select(r => $"{at}:Roles: '{r}' is not a role (use {string.Join(", ", ApiRoles.All)})"));
            failures.AddRange(entry.Fleets.Where(f => Domain.Assets.EntityId.Problem(f) is not null)
                .Select(f => $"{at}:Fleets: '{f}' is not a fleet id ({Domain.Assets.EntityId.Problem(f)})"));
            if (entry.RateLimit is { } limit && (limit.PermitLimit < 1 || limit.Window <= TimeSpan.Zero))
            {
                failures.Add($"{at}:RateLimit needs PermitLimit >= 1 and a positive Window");
            }

            if (!string.IsNullOrEmpty(entry.Trader) && !options.Traders.Any(t => t.Id == entry.Trader))
            {
                failures.Add($"{at}:Trader '{entry.Trader}' is not one of Auth:Traders");
            }
        }

        failures.AddRange(TraderProblems(options.Traders));

        if (configuration[AuthOptions.EnvironmentKeyVariable] is { Length: > 0 and < AuthOptions.MinKeyLength })
        {
            failures.Add($"{AuthOptions.EnvironmentKeyVariable} must be at least {AuthOptions.MinKeyLength} characters");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    private static IEnumerable<string> TraderProblems(List<TraderEntry> traders)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < traders.Count; i++)
        {
            var id = traders[i].Id;
            if (Domain.Assets.EntityId.Problem(id) is { } problem)
            {
                yield return $"Auth:Traders:{i}:Id {problem}";
            }
            else if (!ids.Add(id!))
            {
                yield return $"Auth:Traders:{i}:Id '{id}' is used by another trader";
            }
        }
    }

    private static IEnumerable<string> SecretProblems(string at, ApiKeyEntry entry)
    {
        var hasKey = !string.IsNullOrEmpty(entry.Key);
        var hasHash = !string.IsNullOrEmpty(entry.KeyHash);
        if (hasKey == hasHash)
        {
            yield return $"{at} needs exactly one of Key or KeyHash";
        }
        else if (hasKey && entry.Key!.Length < AuthOptions.MinKeyLength)
        {
            yield return $"{at}:Key must be at least {AuthOptions.MinKeyLength} characters";
        }
        else if (hasHash && (entry.KeyHash!.Length != 64 || !entry.KeyHash.All(char.IsAsciiHexDigit)))
        {
            yield return $"{at}:KeyHash must be the 64 hex digits of the key's SHA-256";
        }
    }
}

/// <summary>Limits must make sense, or every request would be refused.</summary>
public sealed class ApiLimitsOptionsValidator : IValidateOptions<ApiLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiLimitsOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRequestBodyBytes < 1)
        {
            failures.Add("Api:MaxRequestBodyBytes must be at least 1");
        }

        if (options.MaxEventStreamsPerKey < 1)
        {
            failures.Add("Api:MaxEventStreamsPerKey must be at least 1");
        }

        if (options.MaxTelemetryBatchBodyBytes < 1)
        {
            failures.Add("Api:MaxTelemetryBatchBodyBytes must be at least 1");
        }

        if (options.MaxAssetBatchBodyBytes < 1)
        {
            failures.Add("Api:MaxAssetBatchBodyBytes must be at least 1");
        }

        foreach (var (section, limit) in new[] { ("RateLimit", options.RateLimit), ("SignInRateLimit", options.SignInRateLimit) })
        {
            if (limit.PermitLimit < 1 || limit.Window <= TimeSpan.Zero)
            {
                failures.Add($"Api:{section} needs PermitLimit >= 1 and a positive Window");
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
