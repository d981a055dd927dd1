using System.Globalization;
using Vpp.Domain.Dispatch;

namespace Vpp.Benchmarks;

/// <summary>Command line of the benchmark. Every option has a default, so a bare <c>dotnet run</c> measures 10k assets.</summary>
public sealed record BenchOptions
{
    public IReadOnlyList<int> Assets { get; init; } = [10_000];
    public int Dispatches { get; init; } = 30;
    public int Warmup { get; init; } = 5;

    /// <summary>Partition counts to compare; empty means the product default (VppOptions.PartitionsPerFleet).</summary>
    public IReadOnlyList<int> Partitions { get; init; } = [];
    public bool SkipNaive { get; init; }

    /// <summary>Also measure the floor: trivial asset grains behind 256 partitions (see FloorFanOut).</summary>
    public bool SkipFloor { get; init; }

    /// <summary>Also measure frequency → setpoints through FCR (see FrequencyResponse), after the dispatch designs.</summary>
    public bool Frequency { get; init; }

    /// <summary>
    /// Batteries start at SoCs from 10 to 90 % instead of all at 50 %, and the frequency designs add a step back into
    /// the deadband, where every battery outside its SoC window gets its own correction (FCR SoC management).
    /// </summary>
    public bool SocSpread { get; init; }

    /// <summary>Fleet sizes at which the fleet is also measured with IncludeSetpoints: true.</summary>
    public IReadOnlyList<int> SetpointsAt { get; init; } = [10_000];
    public DispatchStrategy Strategy { get; init; } = DispatchStrategy.MeritOrder;

    /// <summary>Target as a share of the fleet's capacity, alternating + and −.</summary>
    public double Share { get; init; } = 0.3;
    public int Batch { get; init; } = 5_000;

    /// <summary>Optional override of VppOptions.SetpointAckTimeout (seconds); null keeps the product default.</summary>
    public double? AckTimeoutSeconds { get; init; }

    /// <summary>Optional override of VppOptions.LiveStateWriteInterval (seconds); null keeps the product default.</summary>
    public double? LiveWriteIntervalSeconds { get; init; }

    /// <summary>
    /// Run the host's silo-wide call filters (ClientCallFilter, MetricsCallFilter) as Vpp.Silo does, so every grain call
    /// of every design passes through them as in the product; --no-host-filters leaves them out.
    /// </summary>
    public bool HostFilters { get; init; } = true;

    /// <summary>
    /// When set, the run measures this many virtual batteries' slot change on each fleet size instead of the dispatch
    /// designs (see SliceSlotChange); --dispatches and --warmup count slots.
    /// </summary>
    public int? Slices { get; init; }

    /// <summary>Grain-state serializer of the memory storage: "json" (the Orleans default, Newtonsoft) or "orleans" (binary).</summary>
    public string StorageSerializer { get; init; } = "json";

    /// <summary>Before each scenario, wait up to this long for other processes to go quiet (0 = do not wait).</summary>
    public int QuietWaitSeconds { get; init; } = 300;

    public const string Usage = """
        Vpp.Benchmarks — dispatch latency of the real grains in one in-process silo.

          --assets 10000,100000     fleet sizes (one fresh silo per size and partition count)
          --dispatches 30           measured dispatches per design
          --warmup 5                warm-up dispatches per design (not measured)
          --partitions 64,256       VppOptions.PartitionsPerFleet to compare (default: the product default)
          --skip-naive              do not run the naive baseline (for 1M)
          --skip-floor              do not run the floor (trivial asset grains, 256 partitions)
          --frequency               also time frequency measurement → all setpoints (FCR), single and 10-measurement bursts
          --soc-spread              batteries at 10–90 % SoC; with --frequency also time a step back into the deadband
                                    (per-battery SoC corrections)
          --setpoints-at 10000      sizes at which IncludeSetpoints: true is measured too (0 = never)
          --strategy meritOrder     or proRata
          --share 0.3               target = ±share × fleet capacity, alternating
          --batch 5000              registration calls in flight per batch
          --ack-timeout 2           override VppOptions.SetpointAckTimeout, seconds (default: product default)
          --live-write-interval 30  override VppOptions.LiveStateWriteInterval, seconds (default: product default)
          --storage-serializer json grain-state serializer of the memory storage: json (Orleans default) or orleans (binary)
          --slices 1000             measure a slot change of this many virtual batteries (and a fleet-level dispatch of
                                    the same step) instead of the dispatch designs; --dispatches/--warmup count slots
          --no-host-filters         leave out the host's silo-wide call filters (client guard, metrics) that Vpp.Silo runs
          --quiet-wait 300          before each scenario wait up to this many seconds for other processes to go quiet (0 = no wait)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            o = name switch
            {
                "--assets" => o with { Assets = IntList(Value(), name) },
                "--dispatches" => o with { Dispatches = PositiveInt(Value(), name) },
                "--warmup" => o with { Warmup = NonNegativeInt(Value(), name) },
                "--partitions" => o with { Partitions = IntList(Value(), name) },
                "--skip-naive" => o with { SkipNaive = true },
                "--skip-floor" => o with { SkipFloor = true },
                "--frequency" => o with { Frequency = true },
                "--soc-spread" => o with { SocSpread = true },
                "--setpoints-at" => o with { SetpointsAt = OptionalIntList(Value(), name) },
                "--strategy" => o with { Strategy = DispatchStrategies.Parse(Value()) ?? throw new ArgumentException("--strategy: meritOrder or proRata") },
                "--share" => o with { Share = ShareValue(Value()) },
                "--batch" => o with { Batch = PositiveInt(Value(), name) },
                "--ack-timeout" => o with { AckTimeoutSeconds = PositiveDouble(Value(), name) },
                "--live-write-interval" => o with { LiveWriteIntervalSeconds = PositiveDouble(Value(), name) },
                "--storage-serializer" => o with { StorageSerializer = Value() is "json" or "orleans" ? args[i] : throw new ArgumentException("--storage-serializer: json or orleans") },
                "--slices" => o with { Slices = PositiveInt(Value(), name) },
                "--no-host-filters" => o with { HostFilters = false },
                "--quiet-wait" => o with { QuietWaitSeconds = NonNegativeInt(Value(), name) },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return o;
    }

    private static IReadOnlyList<int> IntList(string text, string name) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => PositiveInt(t, name))];

    private static IReadOnlyList<int> OptionalIntList(string text, string name) => text == "0" ? [] : IntList(text, name);

    private static int PositiveInt(string text, string name) =>
        int.TryParse(text.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new ArgumentException($"{name}: '{text}' is not a positive integer");

    private static int NonNegativeInt(string text, string name) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v
            : throw new ArgumentException($"{name}: '{text}' is not a non-negative integer");

    private static double PositiveDouble(string text, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
            ? v
            : throw new ArgumentException($"{name}: '{text}' is not a positive number");

    private static double ShareValue(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && v <= 1
            ? v
            : throw new ArgumentException($"--share: '{text}' must be in (0, 1]");
}
