using System.CommandLine;
using System.CommandLine.Parsing;
using Vpp.Simulator.Faults;

namespace Vpp.Simulator.Cli;

/// <summary>The command line (System.CommandLine 3): options, their defaults and checks, and the action that runs.</summary>
public static class SimulatorCommand
{
    public static RootCommand Create(Func<SimulatorOptions, CancellationToken, Task<int>> run)
    {
        var url = new Option<Uri?>("--url")
        {
            Description = "Reach the VPP over its HTTP API at this address, e.g. http://localhost:5080 (instead of the .NET SDK)",
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (Uri.TryCreate(text, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps))
                {
                    return u;
                }

                r.AddError($"--url: '{text}' is not an absolute http:// or https:// address");
                return null;
            },
        };
        var gateway = new Option<string[]>("--gateway")
        {
            Description = "Orleans gateway endpoint(s) host:port for the .NET SDK (default: the local silo, gateway port 30000); repeat or comma-separate for several",
            AllowMultipleArgumentsPerToken = true,
        };
        var apiKey = new Option<string?>("--api-key") { Description = "API key sent as X-Api-Key with --url (default: $VPP_API_KEY)" };
        var clusterId = new Option<string>("--cluster-id") { Description = "Orleans cluster id (SDK)", DefaultValueFactory = _ => "vpp-local" };
        var serviceId = new Option<string>("--service-id") { Description = "Orleans service id (SDK)", DefaultValueFactory = _ => "vpp" };
        var fleet = new Option<string?>("--fleet") { Description = "Fleet id the assets join (default: the scenario file's, or \"sim\")" };
        var assets = new Option<int?>("--assets") { Description = $"Number of assets in the demo mix (default {SimulatorOptions.DefaultAssetCount}; not with --scenario)" };
        assets.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } n && n is < 1 or > 1_000_000)
            {
                r.AddError("--assets must be between 1 and 1000000");
            }
        });
        var interval = DurationOption("--interval", "How often each asset reports telemetry: 500ms, 2s, 1m …", TimeSpan.FromSeconds(2));
        var duration = DurationOption("--duration", "How long to run (e.g. 90s, 10m, 2h); Ctrl+C ends earlier, cleanly", TimeSpan.FromMinutes(5));
        var seed = new Option<int>("--seed") { Description = "Seed for sizes, weather and faults: the same seed repeats the run", DefaultValueFactory = _ => 42 };
        var offline = RateOption("--offline-rate", "Share of assets (0–1) that report an outage once during the run, then return");
        var ignore = RateOption("--ignore-setpoint-rate", "Share of assets (0–1) that acknowledge setpoints but never act on them");
        var silent = RateOption("--silent-rate", "Share of assets (0–1) that fall silent during the run and stay silent");
        var noise = new Option<double>("--telemetry-noise") { Description = "Noise on reported power, standard deviation in percent (0–100)" };
        noise.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && (!double.IsFinite(v) || v is < 0 or > 100))
            {
                r.AddError("--telemetry-noise must be a percentage between 0 and 100");
            }
        });
        var scenario = new Option<FileInfo>("--scenario") { Description = "Scenario file (JSON) with the fleet id and mix; see README \"Simulated fleets\"" };
        scenario.AcceptExistingOnly();
        var target = new Option<double?>("--target-kw") { Description = "Set this standing fleet target once the assets are online (as a trading system would)" };
        var latitude = new Option<double?>("--latitude") { Description = "Site latitude (°, north +) for the sun's path by season; default: a fixed 06:00–18:00 UTC day" };
        latitude.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } v && !(v is >= -90 and <= 90))
            {
                r.AddError("--latitude must be between -90 and 90 degrees");
            }
        });
        var longitude = new Option<double>("--longitude") { Description = "Site longitude (°, east +), with --latitude" };
        longitude.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && !(v is >= -180 and <= 180))
            {
                r.AddError("--longitude must be between -180 and 180 degrees");
            }
        });
        var csv = new Option<FileInfo?>("--csv") { Description = "Write fleet output per round to this CSV file" };
        var png = new Option<FileInfo?>("--png") { Description = "Plot fleet output over time to this PNG file" };
        var batch = new Option<int>("--batch-size") { Description = "Telemetry samples per call", DefaultValueFactory = _ => 1000 };
        var worst = new Option<int>("--worst") { Description = "How many of the worst assets the summary lists", DefaultValueFactory = _ => 10 };
        var optimisePrices = new Option<FileInfo>("--optimise-prices")
        {
            Description = "Follow the VPP's optimised schedule over these prices (CSV from,eurPerMwh, one row per quarter hour) from the next quarter hour, "
                + "then report the settled revenue against the expected one (instead of --duration)",
        };
        optimisePrices.AcceptExistingOnly();
        var optimiseSlots = new Option<int?>("--optimise-slots") { Description = "How many quarter hours of --optimise-prices to follow (default: all, at most 192)" };
        var endSoc = new Option<double?>("--end-soc") { Description = "With --optimise-prices: the SoC (%) the batteries must end at or above (default: where they start)" };
        endSoc.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } v && !(v is >= 0 and <= 100))
            {
                r.AddError("--end-soc must be a percentage between 0 and 100");
            }
        });

        var root = new RootCommand(
            "Runs simulated batteries, solar and wind parks, CHP plants and flexible loads against a running VPP, like a device gateway: "
            + "registers them, reports their telemetry in batches, follows the setpoints the VPP sends within each asset's ramp and physics, "
            + "and injects faults on request.")
        {
            url, gateway, apiKey, clusterId, serviceId, fleet, assets, interval, duration, seed, offline, ignore, silent, noise, scenario, target, latitude, longitude, csv, png, batch, worst,
            optimisePrices, optimiseSlots, endSoc,
        };
        root.Validators.Add(r =>
        {
            if (r.GetResult(scenario) is not null && r.GetResult(assets) is not null)
            {
                r.AddError("--assets and --scenario cannot be combined: the scenario file sets the counts");
            }

            if (r.GetResult(url) is not null && r.GetResult(gateway) is not null)
            {
                r.AddError("give either --url (HTTP API) or --gateway (Orleans gateway for the SDK), not both");
            }

            if (r.GetResult(optimisePrices) is null && (r.GetResult(optimiseSlots) is not null || r.GetResult(endSoc) is not null))
            {
                r.AddError("--optimise-slots and --end-soc need --optimise-prices");
            }

            if (r.GetResult(optimisePrices) is not null && r.GetResult(target) is not null)
            {
                r.AddError("--target-kw and --optimise-prices cannot be combined: the optimised schedule sets the fleet's target");
            }
        });

        root.SetAction((parse, ct) => run(
            new SimulatorOptions
            {
                Url = parse.GetValue(url),
                Gateways = [.. (parse.GetValue(gateway) ?? []).SelectMany(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                ApiKey = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("VPP_API_KEY"),
                ClusterId = parse.GetValue(clusterId) ?? "vpp-local",
                ServiceId = parse.GetValue(serviceId) ?? "vpp",
                FleetId = parse.GetValue(fleet),
                AssetCount = parse.GetValue(assets),
                Interval = parse.GetValue(interval),
                Duration = parse.GetValue(duration),
                Seed = parse.GetValue(seed),
                Faults = new FaultRates
                {
                    OfflineRate = parse.GetValue(offline),
                    IgnoreSetpointRate = parse.GetValue(ignore),
                    SilentRate = parse.GetValue(silent),
                    TelemetryNoisePercent = parse.GetValue(noise),
                },
                ScenarioPath = parse.GetValue(scenario)?.FullName,
                TargetKw = parse.GetValue(target),
                LatitudeDegrees = parse.GetValue(latitude),
                LongitudeDegrees = parse.GetValue(longitude),
                CsvPath = parse.GetValue(csv)?.FullName,
                PngPath = parse.GetValue(png)?.FullName,
                BatchSize = parse.GetValue(batch),
                WorstCount = parse.GetValue(worst),
                OptimisePricesPath = parse.GetValue(optimisePrices)?.FullName,
                OptimiseSlots = parse.GetValue(optimiseSlots),
                EndSocPercent = parse.GetValue(endSoc),
            },
            ct));
        return root;
    }

    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (DurationParser.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            r.AddError($"{name}: '{text}' is not a positive duration (e.g. 500ms, 2s, 5m, 1h, 00:10:00)");
            return defaultValue;
        },
    };

    private static Option<double> RateOption(string name, string description)
    {
        var option = new Option<double>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && (!double.IsFinite(v) || v is < 0 or > 1))
            {
                r.AddError($"{name} must be a share of the fleet between 0 and 1, e.g. 0.05 for 5 %");
            }
        });
        return option;
    }
}
