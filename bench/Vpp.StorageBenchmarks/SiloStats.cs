using System.Globalization;
using Vpp.Testing;

namespace Vpp.StorageBenchmarks;

/// <summary>
/// What a silo process holds and how long it stood still: its resident memory (<c>/proc/&lt;pid&gt;/status</c> VmRSS),
/// its activations (Orleans' catalog gauge) and its longest stall and GC pause since it started (the silo's runtime
/// gauges), read from its <c>/metrics</c>; a series the silo does not export reads n/a.
/// </summary>
internal static class SiloStats
{
    private const string ActivationSeries = "orleans_catalog_activations";
    private const string StallSeries = "vpp_runtime_longest_stall_seconds";
    private const string GcPauseSeries = "vpp_runtime_longest_gc_pause_seconds";

    public sealed record Silo(string Name, double RssMb, double? Activations, double? LongestStallS, double? LongestGcPauseS);

    /// <summary>VmRSS in MB; the kernel separates the figure by a tab and padding, and from 10 GB by the tab alone.</summary>
    public static double RssMb(SiloProcess silo)
    {
        var line = File.ReadLines($"/proc/{silo.Pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>"silo1 812 MB, silo2 790 MB, …" for the silos still running.</summary>
    public static string Rss(IEnumerable<SiloProcess> silos) =>
        string.Join(", ", silos.Where(s => !s.HasExited).Select(s => $"{Short(s)} {RssMb(s):N0} MB"));

    public static async Task<IReadOnlyList<Silo>> ScrapeAsync(IReadOnlyList<SiloProcess> silos, IReadOnlyList<HttpClient> clients)
    {
        var stats = new List<Silo>();
        for (var i = 0; i < silos.Count; i++)
        {
            var text = await clients[i].GetStringAsync("/metrics");
            stats.Add(new Silo(Short(silos[i]), RssMb(silos[i]), Sum(text, ActivationSeries), Sum(text, StallSeries), Sum(text, GcPauseSeries)));
        }

        return stats;
    }

    public static string Line(IEnumerable<Silo> stats) => string.Join(" ", stats.Select(s =>
        $"{s.Name}_rss_mb={s.RssMb:0} {s.Name}_activations={Format(s.Activations, "0")} "
        + $"{s.Name}_longest_stall_s={Format(s.LongestStallS, "0.00")} {s.Name}_longest_gc_pause_s={Format(s.LongestGcPauseS, "0.00")}"));

    /// <summary>Markdown cells: RSS, activations, longest stall, longest GC pause, each "a / b / c" over the silos.</summary>
    public static string Cells(IReadOnlyList<Silo> stats) =>
        $"{Join(stats, s => $"{s.RssMb:N0}")} MB | {Join(stats, s => Format(s.Activations, "N0"))} "
        + $"| {Join(stats, s => Format(s.LongestStallS, "0.00"))} s | {Join(stats, s => Format(s.LongestGcPauseS, "0.00"))} s";

    private static string Join(IEnumerable<Silo> stats, Func<Silo, string> cell) => string.Join(" / ", stats.Select(cell));

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a";

    private static string Short(SiloProcess silo) => silo.Name[(silo.Name.LastIndexOf('-') + 1)..];

    /// <summary>The sum of a series' samples over its labels (Prometheus text: <c>name{labels} value</c>); null if absent.</summary>
    private static double? Sum(string metrics, string series)
    {
        var values = metrics.Split('\n')
            .Where(l => l.StartsWith(series, StringComparison.Ordinal) && l.Length > series.Length && l[series.Length] is '{' or ' ')
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .ToList();
        return values.Count == 0 ? null : values.Sum();
    }
}
