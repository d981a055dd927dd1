using System.Globalization;
using Vpp.Simulator.Engine;

namespace Vpp.Simulator.Output;

/// <summary>Fleet output over time, one row per round: what a spreadsheet or a plotting script needs.</summary>
public static class FleetCsv
{
    public const string Header = "utc,elapsedSeconds,assets,reporting,offline,silent,requestedKw,deliveredKw,outputKw,fleetTargetKw,fleetOnline,telemetryRefused,problem";

    public static async Task WriteAsync(string path, IReadOnlyList<RoundSnapshot> rounds, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(path);
        await writer.WriteLineAsync(Header.AsMemory(), cancellationToken);
        foreach (var r in rounds)
        {
            await writer.WriteLineAsync(Row(r).AsMemory(), cancellationToken);
        }
    }

    public static string Row(RoundSnapshot r) => string.Join(
        ',',
        r.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        Number(r.Elapsed.TotalSeconds),
        r.AssetCount.ToString(CultureInfo.InvariantCulture),
        r.ReportingCount.ToString(CultureInfo.InvariantCulture),
        r.OfflineCount.ToString(CultureInfo.InvariantCulture),
        r.SilentCount.ToString(CultureInfo.InvariantCulture),
        Number(r.RequestedKw),
        Number(r.DeliveredKw),
        Number(r.OutputKw),
        r.FleetTargetKw is { } target ? Number(target) : "",
        r.FleetOnlineCount.ToString(CultureInfo.InvariantCulture),
        r.TelemetryRefused.ToString(CultureInfo.InvariantCulture),
        Quote(r.Problem));

    private static string Number(double value) => Math.Round(value, 3).ToString(CultureInfo.InvariantCulture);

    private static string Quote(string? text) => text is null ? "" : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
