using System.Globalization;
using Spectre.Console;
using Vpp.Simulator.Engine;

namespace Vpp.Simulator.Output;

/// <summary>
/// What the simulator shows while it runs: a live table on a terminal, or a plain line every few seconds when the
/// output is redirected (a log file or CI), so a long run always shows progress.
/// </summary>
public sealed class LiveConsole(IAnsiConsole console)
{
    private static readonly TimeSpan PlainLineEvery = TimeSpan.FromSeconds(10);
    private TimeSpan? _lastPlainLine;

    public bool Interactive => console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;

    /// <summary>Runs <paramref name="run"/>, handing it a callback that shows each round.</summary>
    public async Task ShowRoundsAsync(Func<Action<RoundSnapshot>, Task> run)
    {
        if (!Interactive)
        {
            await run(WritePlainLine);
            return;
        }

        var table = Table(null);
        await console.Live(table).AutoClear(false).StartAsync(async context =>
            await run(snapshot =>
            {
                Fill(table, snapshot);
                context.Refresh();
            }));
    }

    public void WritePlainLine(RoundSnapshot s)
    {
        if (_lastPlainLine is { } last && s.Elapsed - last < PlainLineEvery && s.Problem is null)
        {
            return;
        }

        _lastPlainLine = s.Elapsed;
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[{s.Elapsed:hh\\:mm\\:ss}] round {s.Round}: {s.ReportingCount}/{s.AssetCount} reporting, {s.OfflineCount} offline, {s.SilentCount} silent | "
            + $"VPP online {s.FleetOnlineCount}, target {Kw(s.FleetTargetKw)} | requested {s.RequestedKw:0.0} kW, delivered {s.DeliveredKw:0.0} kW, "
            + $"fleet output {s.OutputKw:0.0} kW{(s.Problem is null ? "" : " | problem: " + s.Problem)}"));
    }

    private static Table Table(RoundSnapshot? snapshot)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("").RightAligned());
        table.Title = new TableTitle("Simulated fleet");
        table.ShowHeaders = false;
        if (snapshot is not null)
        {
            Fill(table, snapshot);
        }

        return table;
    }

    private static void Fill(Table table, RoundSnapshot s)
    {
        table.Rows.Clear();
        Row(table, "elapsed", $"{s.Elapsed:hh\\:mm\\:ss} (round {s.Round})");
        Row(table, "assets reporting", $"{s.ReportingCount} / {s.AssetCount}");
        Row(table, "in outage / silent", $"{s.OfflineCount} / {s.SilentCount}");
        Row(table, "online as the VPP sees it", s.FleetOnlineCount.ToString(CultureInfo.InvariantCulture));
        Row(table, "fleet target", Kw(s.FleetTargetKw));
        Row(table, "requested (sum of setpoints)", Kw(s.RequestedKw));
        Row(table, "delivered by dispatched assets", Kw(s.DeliveredKw));
        Row(table, "fleet output, all assets", Kw(s.OutputKw));
        Row(table, "telemetry refused this round", s.TelemetryRefused.ToString(CultureInfo.InvariantCulture));
        if (s.Problem is not null)
        {
            table.AddRow(new Markup("[red]problem[/]"), new Text(s.Problem));
        }
    }

    private static void Row(Table table, string label, string value) => table.AddRow(new Text(label), new Text(value));

    internal static string Kw(double? kw) => kw is { } v ? v.ToString("#,0.0", CultureInfo.InvariantCulture) + " kW" : "none";
}
