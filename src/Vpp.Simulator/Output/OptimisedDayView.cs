using System.Globalization;
using Spectre.Console;
using Vpp.Simulator.Optimisation;

namespace Vpp.Simulator.Output;

/// <summary>An optimised day's revenue: expected by the proposal, and settled from what the VPP metered, per slot and in total.</summary>
public static class OptimisedDayView
{
    public static void Write(IAnsiConsole console, OptimisedDayReport report)
    {
        var totals = new Table().Border(TableBorder.Rounded).AddColumn("optimised day").AddColumn(new TableColumn("").RightAligned());
        totals.ShowHeaders = false;
        totals.Title = new TableTitle($"Optimised day {report.From:yyyy-MM-dd HH:mm}–{report.To:HH:mm} UTC");
        totals.AddRow("expected revenue (proposal)", Eur(report.ExpectedRevenueEur));
        totals.AddRow("settled revenue (metered energy × price)", Eur(report.SettledRevenueEur));
        totals.AddRow("expected profit / greedy baseline", $"{Eur(report.ExpectedProfitEur)} / {(report.GreedyProfitEur is { } g ? Eur(g) : "–")}");
        totals.AddRow("slots metered completely", $"{report.Slots.Count(s => s.Complete)} / {report.Slots.Count}");
        console.Write(totals);

        var slots = new Table().Border(TableBorder.Rounded).Title("Per slot")
            .AddColumn("start (UTC)").AddColumn(new TableColumn("EUR/MWh").RightAligned()).AddColumn(new TableColumn("target").RightAligned())
            .AddColumn(new TableColumn("delivered").RightAligned()).AddColumn(new TableColumn("expected").RightAligned())
            .AddColumn(new TableColumn("settled").RightAligned());
        foreach (var s in report.Slots)
        {
            slots.AddRow(
                s.Start.ToString("HH:mm", CultureInfo.InvariantCulture), s.PriceEurPerMwh.ToString("0.00", CultureInfo.InvariantCulture),
                s.TargetKw.ToString("0.000 kW", CultureInfo.InvariantCulture), s.DeliveredKwh.ToString("0.000 kWh", CultureInfo.InvariantCulture),
                Eur(s.ExpectedRevenueEur), Eur(s.SettledRevenueEur) + (s.Complete ? "" : " (gaps)"));
        }

        console.Write(slots);
    }

    private static string Eur(double eur) => eur.ToString("0.00 EUR", CultureInfo.InvariantCulture);
}
