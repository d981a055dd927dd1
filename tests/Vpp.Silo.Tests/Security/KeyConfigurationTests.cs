using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>
/// Where keys come from: configuration, VPP_API_KEY, or — when neither names one — a key generated at start and
/// logged once. The API is never open. Each test starts a silo of its own.
/// </summary>
public sealed partial class KeyConfigurationTests
{
    private const string EnvironmentKey = "env-key-with-every-role-01";

    [Fact]
    public async Task Without_any_configured_key_the_silo_generates_one_logs_it_once_and_accepts_only_it()
    {
        await using var silo = await OwnSilo.StartAsync(new Dictionary<string, string>());

        var lines = silo.Log.Messages.Where(m => m.Contains("X-Api-Key:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        var key = GeneratedKey().Match(line).Groups["key"].Value;
        Assert.True(key.Length >= 40, $"the generated key is too short to be safe: {line}");
        Assert.Single(silo.Log.Messages, m => m.Contains(key, StringComparison.Ordinal));

        using var anonymous = silo.ClientWithKey(null);
        await (await anonymous.GetAsync("/api/v1/fleets/some-fleet")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        using var withKey = silo.ClientWithKey(key);
        await (await withKey.GetAsync("/api/v1/fleets/some-fleet")).ExpectProblemAsync(HttpStatusCode.NotFound);

        await withKey.UseEveryRoleAsync();
    }

    [Fact]
    public async Task Vpp_api_key_adds_a_key_with_every_role_next_to_the_configured_ones_and_nothing_is_generated()
    {
        // VPP_API_KEY is read through configuration, which holds the environment variables; the test host passes it
        // as a setting so the variable does not leak into silos other tests run in parallel.
        await using var silo = await OwnSilo.StartAsync(new Dictionary<string, string>
        {
            ["VPP_API_KEY"] = EnvironmentKey,
            ["Auth:ApiKeys:0:Name"] = "reader",
            ["Auth:ApiKeys:0:Key"] = TestKeys.Reader,
            ["Auth:ApiKeys:0:Roles:0"] = "read",
        });

        Assert.DoesNotContain(silo.Log.Messages, m => m.Contains("X-Api-Key:", StringComparison.Ordinal));
        using var env = silo.ClientWithKey(EnvironmentKey);
        var (assetId, fleetId) = await env.UseEveryRoleAsync();

        using var reader = silo.ClientWithKey(TestKeys.Reader);
        await reader.GetAssetAsync(assetId);
        await (await reader.PostJsonAsync($"/api/v1/fleets/{fleetId}/dispatch", """{"targetKw": 20}""")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task No_key_and_no_part_of_one_ever_appears_in_the_log_even_at_debug_level()
    {
        await using var silo = await OwnSilo.StartAsync(new Dictionary<string, string>
        {
            ["VPP_API_KEY"] = EnvironmentKey,
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Orleans"] = "Warning",
        });
        var guesses = new[] { "guess-guess-guess-guess-1", EnvironmentKey[..^1], EnvironmentKey + "0" };
        foreach (var key in guesses.Append(EnvironmentKey))
        {
            using var client = silo.ClientWithKey(key);
            await client.GetAsync("/api/v1/fleets/some-fleet");
            await client.GetAsync("/dashboard/");
        }

        // Half a key is already too much.
        foreach (var secret in guesses.Append(EnvironmentKey))
        {
            var half = secret[..(secret.Length / 2)];
            Assert.DoesNotContain(silo.Log.Messages, m => m.Contains(half, StringComparison.Ordinal));
        }

        Assert.Contains(silo.Log.Messages, m => m.Contains("unknown API key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Auth:ApiKeys:0:Key", "short", "at least 16 characters")]
    [InlineData("Auth:ApiKeys:0:Roles:0", "superuser", "'superuser' is not a role")]
    [InlineData("Auth:ApiKeys:0:KeyHash", "abc", "exactly one of Key or KeyHash")]
    [InlineData("Auth:ApiKeys:0:Name", "", "Name is required")]
    [InlineData("VPP_API_KEY", "short", "VPP_API_KEY must be at least 16 characters")]
    [InlineData("Api:RateLimit:PermitLimit", "0", "Api:RateLimit needs PermitLimit >= 1")]
    [InlineData("Api:MaxRequestBodyBytes", "0", "Api:MaxRequestBodyBytes must be at least 1")]
    [InlineData("Auth:ApiKeys:0:Trader", "nobody", "Trader 'nobody' is not one of Auth:Traders")]
    [InlineData("Auth:Traders:0:Id", "12345", "Auth:Traders:0:Id")]
    [InlineData("Vpp:VirtualBatteries:ReservePercent", "100", "Vpp:VirtualBatteries:ReservePercent must be from 0 to below 100")]
    public async Task A_silo_with_an_unusable_key_configuration_refuses_to_start_and_says_why(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Name"] = "gateway",
            ["Auth:ApiKeys:0:Key"] = TestKeys.Gateway,
            ["Auth:ApiKeys:0:Roles:0"] = "telemetry",
            [key] = value,
        };

        var failure = await Record.ExceptionAsync(async () =>
        {
            var silo = await OwnSilo.StartAsync(settings);
            await silo.DisposeAsync();
        });

        Assert.NotNull(failure);
        var validation = Flatten(failure).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.True(validation is not null, $"expected an options validation failure, got: {failure}");
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }

    [GeneratedRegex("X-Api-Key: (?<key>[A-Za-z0-9_-]+)")]
    private static partial Regex GeneratedKey();
}
