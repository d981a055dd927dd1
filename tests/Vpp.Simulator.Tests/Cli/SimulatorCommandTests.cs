using System.CommandLine;
using Spectre.Console;
using Spectre.Console.Testing;
using Vpp.Simulator.Cli;

namespace Vpp.Simulator.Tests.Cli;

public sealed class SimulatorCommandTests
{
    private static async Task<(int ExitCode, SimulatorOptions? Options, string Errors)> InvokeAsync(params string[] args)
    {
        SimulatorOptions? seen = null;
        var command = SimulatorCommand.Create((options, _) =>
        {
            seen = options;
            return Task.FromResult(0);
        });
        var errors = new StringWriter();
        var exitCode = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = errors });
        return (exitCode, seen, errors.ToString());
    }

    [Fact]
    public async Task Every_option_reaches_the_run()
    {
        var (exitCode, options, errors) = await InvokeAsync(
            "--gateway", "127.0.0.1:30000,127.0.0.1:30001", "--cluster-id", "c1", "--service-id", "s1", "--fleet", "field",
            "--assets", "250", "--interval", "500ms", "--duration", "2m", "--seed", "7", "--offline-rate", "0.1",
            "--ignore-setpoint-rate", "0.05", "--silent-rate", "0.02", "--telemetry-noise", "3", "--target-kw", "-120.5",
            "--batch-size", "500", "--worst", "3", "--csv", "out.csv", "--png", "out.png", "--latitude", "52.5", "--longitude", "13.4");

        Assert.True(exitCode == 0, errors);
        Assert.NotNull(options);
        Assert.Equal(["127.0.0.1:30000", "127.0.0.1:30001"], options.Gateways);
        Assert.Equal(("c1", "s1", "field", 250, 7), (options.ClusterId, options.ServiceId, options.FleetId, options.AssetCount, options.Seed));
        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(2)), (options.Interval, options.Duration));
        Assert.Equal((0.1, 0.05, 0.02, 3.0), (options.Faults.OfflineRate, options.Faults.IgnoreSetpointRate, options.Faults.SilentRate, options.Faults.TelemetryNoisePercent));
        Assert.Equal((-120.5, 500, 3), (options.TargetKw, options.BatchSize, options.WorstCount));
        Assert.EndsWith("out.csv", options.CsvPath);
        Assert.Equal((52.5, 13.4), (options.LatitudeDegrees, options.LongitudeDegrees));
        Assert.Null(options.Url);
    }

    [Fact]
    public async Task Defaults_point_at_the_readme_silo_for_a_bounded_run()
    {
        var (exitCode, options, _) = await InvokeAsync();

        Assert.Equal(0, exitCode);
        Assert.NotNull(options);
        Assert.Equal(("vpp-local", "vpp", null, 42), (options.ClusterId, options.ServiceId, options.FleetId, options.Seed));
        Assert.Empty(options.Gateways);
        Assert.Null(options.Url);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Duration);
    }

    [Theory]
    [InlineData("--offline-rate must be a share", "--offline-rate", "1.5")]
    [InlineData("--silent-rate must be a share", "--silent-rate", "-0.1")]
    [InlineData("--telemetry-noise must be a percentage", "--telemetry-noise", "200")]
    [InlineData("--interval: 'soon' is not a positive duration", "--interval", "soon")]
    [InlineData("--duration: '-5s' is not a positive duration", "--duration", "-5s")]
    [InlineData("--assets must be between 1 and 1000000", "--assets", "0")]
    [InlineData("--latitude must be between -90 and 90", "--latitude", "95")]
    [InlineData("--url: 'ftp://x' is not an absolute http:// or https:// address", "--url", "ftp://x")]
    [InlineData("--assets and --scenario cannot be combined", "--assets", "5", "--scenario", "Vpp.Simulator.Tests.dll")]
    [InlineData("give either --url (HTTP API) or --gateway", "--url", "http://localhost:5080", "--gateway", "localhost:30000")]
    [InlineData("--optimise-slots and --end-soc need --optimise-prices", "--optimise-slots", "4")]
    [InlineData("--end-soc must be a percentage", "--end-soc", "120", "--optimise-prices", "Vpp.Simulator.Tests.dll")]
    [InlineData("--target-kw and --optimise-prices cannot be combined", "--target-kw", "5", "--optimise-prices", "Vpp.Simulator.Tests.dll")]
    public async Task Bad_options_are_refused_before_anything_runs(string expected, params string[] args)
    {
        var (exitCode, options, errors) = await InvokeAsync(args);

        Assert.NotEqual(0, exitCode);
        Assert.Null(options);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("2s", 2)]
    [InlineData("1.5m", 90)]
    [InlineData("2h", 7200)]
    [InlineData("00:10:00", 600)]
    public void Durations_are_read_as_people_write_them(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public async Task A_bad_scenario_file_ends_the_app_with_every_problem_listed_and_nothing_contacted()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"fleetId": "sim", "assets": [{"kind": "battery", "count": 1}, {"kind": "wind", "count": 1, "maxPowerKw": 5, "hubHeightM": 80}]}""");
        var console = new TestConsole { Profile = { Width = 400 } };
        try
        {
            var exitCode = await new SimulatorApp(console, TimeProvider.System).RunAsync(
                new SimulatorOptions { ScenarioPath = path, Url = new Uri("http://127.0.0.1:9") }, CancellationToken.None);

            Assert.Equal(SimulatorApp.ExitInvalidInput, exitCode);
            Assert.Contains("assets[0].maxPowerKw: is required", console.Output, StringComparison.Ordinal);
            Assert.Contains("assets[1].hubHeightM: unknown field", console.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Simulating", console.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_unreachable_vpp_ends_the_app_with_a_clear_message()
    {
        var console = new TestConsole { Profile = { Width = 400 } };

        // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
        var exitCode = await new SimulatorApp(console, TimeProvider.System).RunAsync(
            new SimulatorOptions { AssetCount = 3, Url = new Uri("http://127.0.0.1:9"), Duration = TimeSpan.FromSeconds(5) }, CancellationToken.None);

        Assert.Equal(SimulatorApp.ExitUnavailable, exitCode);
        Assert.Contains("Cannot register the assets: the VPP cannot be reached", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fleet_option_moves_a_scenario_into_another_fleet_and_a_bad_fleet_id_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"fleetId": "from-file", "assets": [{"kind": "wind", "count": 2, "maxPowerKw": 50}]}""");
        try
        {
            var fromFile = await SimulatorApp.BuildRunAsync(new SimulatorOptions { ScenarioPath = path }, CancellationToken.None);
            var moved = await SimulatorApp.BuildRunAsync(new SimulatorOptions { ScenarioPath = path, FleetId = "field-2" }, CancellationToken.None);

            Assert.Equal("from-file", fromFile.FleetId);
            Assert.Equal("field-2", moved.FleetId);
            Assert.All(moved.Assets, a => Assert.Equal("field-2", a.Spec.FleetId));
            Assert.Equal(["field-2-wind-0001", "field-2-wind-0002"], moved.Assets.Select(a => a.AssetId));
            var refused = await Assert.ThrowsAsync<Vpp.Simulator.Scenarios.ScenarioException>(
                () => SimulatorApp.BuildRunAsync(new SimulatorOptions { ScenarioPath = path, FleetId = "12345" }, CancellationToken.None));
            Assert.Contains("non-digit", Assert.Single(refused.Problems), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
