using System.Globalization;
using Spectre.Console;
using Vpp.Simulator.Engine;

namespace Vpp.Simulator.Output;

/// <summary>The end-of-run summary: requested vs delivered energy, the worst assets, what the VPP reallocated.</summary>
public static class SummaryView
{
    public static void Write(IAnsiConsole console, SimulationSummary s)
    {
        var delivery = Math.Abs(s.RequestedKwh) > 1e-9 ? s.DeliveredKwh / s.RequestedKwh * 100 : (double?)null;
        var totals = new Table().Border(TableBorder.Rounded).AddColumn("summary").AddColumn(new TableColumn("").RightAligned());
        totals.ShowHeaders = false;
        totals.Title = new TableTitle("Run summary");
        totals.AddRow("rounds / elapsed", $"{s.Rounds} / {s.Elapsed:hh\\:mm\\:ss}");
        totals.AddRow("assets registered", $"{s.RegisteredCount} / {s.AssetCount}");
        totals.AddRow("requested energy", Kwh(s.RequestedKwh));
        totals.AddRow("delivered energy", Kwh(s.DeliveredKwh) + (delivery is { } d ? $" ({d.ToString("0.0", CultureInfo.InvariantCulture)} %)" : ""));
        totals.AddRow("fleet output energy, all assets", Kwh(s.OutputKwh));
        totals.AddRow("dispatches seen", s.DispatchesSeen.ToString(CultureInfo.InvariantCulture));
        totals.AddRow("reallocations seen", s.ReallocationsSeen.ToString(CultureInfo.InvariantCulture));
        totals.AddRow("rounds with a problem", s.FailedRounds.ToString(CultureInfo.InvariantCulture));
        console.Write(totals);

        var kinds = new Table().Border(TableBorder.Rounded).Title("By kind")
            .AddColumn("kind").AddColumn(new TableColumn("assets").RightAligned())
            .AddColumn(new TableColumn("requested").RightAligned()).AddColumn(new TableColumn("delivered").RightAligned())
            .AddColumn(new TableColumn("|deviation|").RightAligned());
        foreach (var k in s.ByKind)
        {
            kinds.AddRow(new Text(k.Kind), new Text(k.AssetCount.ToString(CultureInfo.InvariantCulture)), new Text(Kwh(k.RequestedKwh)), new Text(Kwh(k.DeliveredKwh)), new Text(Kwh(k.DeviationKwh)));
        }

        console.Write(kinds);

        if (s.WorstAssets.Count > 0)
        {
            var worst = new Table().Border(TableBorder.Rounded).Title("Biggest deviations from setpoint")
                .AddColumn("asset").AddColumn("kind")
                .AddColumn(new TableColumn("requested").RightAligned()).AddColumn(new TableColumn("delivered").RightAligned())
                .AddColumn(new TableColumn("|deviation|").RightAligned()).AddColumn("likely why");
            foreach (var a in s.WorstAssets)
            {
                worst.AddRow(new Text(a.AssetId), new Text(a.Kind), new Text(Kwh(a.RequestedKwh)), new Text(Kwh(a.DeliveredKwh)), new Text(Kwh(a.DeviationKwh)), new Text(a.Why));
            }

            console.Write(worst);
        }

        foreach (var message in s.ReallocationMessages)
        {
            console.WriteLine("  reallocation: " + message);
        }

        if (s.EventsProblem is not null)
        {
            console.WriteLine("  note: " + s.EventsProblem);
        }
    }

    private static string Kwh(double kwh) => kwh.ToString("#,0.000", CultureInfo.InvariantCulture) + " kWh";
}
