using System.Net;
using System.Text.RegularExpressions;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>
/// Keys as an operator meets them: a real VPP_API_KEY environment variable, and the generated key in the console
/// output of a silo started with none. Each test runs `dotnet Vpp.Silo.dll` in a process of its own.
/// </summary>
public sealed partial class SiloProcessKeyTests
{
    [Fact]
    public async Task A_silo_process_started_without_keys_prints_one_generated_key_once_and_only_that_key_opens_the_api()
    {
        await using var silo = await StartAsync("no-keys", new Dictionary<string, string?>());

        var printed = silo.Output.Select(l => GeneratedKey().Match(l)).Where(m => m.Success).ToList();
        var key = Assert.Single(printed).Groups["key"].Value;
        Assert.Single(silo.Output, l => l.Contains(key, StringComparison.Ordinal));

        using var anonymous = silo.Client(null);
        await (await anonymous.GetAsync("/api/v1/fleets/some-fleet")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        using var withKey = silo.Client(key);
        await (await withKey.GetAsync("/api/v1/fleets/some-fleet")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await withKey.UseEveryRoleAsync();
        Assert.Single(silo.Output, l => l.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silo_process_with_the_vpp_api_key_environment_variable_accepts_it_for_every_role_and_never_prints_it()
    {
        const string key = "process-env-key-every-role-1";
        await using var silo = await StartAsync("env-key", new Dictionary<string, string?> { ["VPP_API_KEY"] = key });
        using var client = silo.Client(key);

        await client.UseEveryRoleAsync();

        Assert.DoesNotContain(silo.Output, l => GeneratedKey().IsMatch(l));
        Assert.DoesNotContain(silo.Output, l => l.Contains(key[..12], StringComparison.Ordinal));
        Assert.Contains(silo.Output, l => l.Contains("env:VPP_API_KEY [read dispatch telemetry admin]", StringComparison.Ordinal));
    }

    /// <summary>
    /// The silo as an operator runs it, in-memory storage, no demo, the Production environment and no inherited
    /// VPP_API_KEY, plus <paramref name="environment"/>; waits until /health answers.
    /// </summary>
    internal static Task<SiloProcess> StartAsync(string name, IReadOnlyDictionary<string, string?> environment) =>
        SiloProcess.StartReadyAsync(Options(name, environment), TimeSpan.FromSeconds(90), "/health");

    /// <summary>How <see cref="StartAsync"/> starts the process, for a test that expects it to exit instead.</summary>
    internal static SiloProcessOptions Options(string name, IReadOnlyDictionary<string, string?> environment)
    {
        var all = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["VPP_API_KEY"] = null,
        };
        foreach (var (key, value) in environment)
        {
            all[key] = value;
        }

        return new SiloProcessOptions
        {
            Name = name,
            Arguments = ["--in-memory", $"--Orleans:ServiceId=vpp-process-{Guid.NewGuid():N}", "--Demo:Enabled=false"],
            Environment = all,
        };
    }

    [GeneratedRegex("X-Api-Key: (?<key>[A-Za-z0-9_-]{20,})")]
    private static partial Regex GeneratedKey();
}
