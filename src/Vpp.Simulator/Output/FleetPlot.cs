using ScottPlot;
using Vpp.Simulator.Engine;

namespace Vpp.Simulator.Output;

/// <summary>A PNG of fleet output over time: the VPP's target, what it requested of the assets, what they delivered.</summary>
public static class FleetPlot
{
    public static void Save(string path, IReadOnlyList<RoundSnapshot> rounds, string title, int widthPx = 1000, int heightPx = 500)
    {
        var plot = new Plot();
        var seconds = rounds.Select(r => r.Elapsed.TotalSeconds).ToArray();
        var output = plot.Add.ScatterLine(seconds, rounds.Select(r => r.OutputKw).ToArray());
        output.LegendText = "fleet output (all assets)";
        var requested = plot.Add.ScatterLine(seconds, rounds.Select(r => r.RequestedKw).ToArray());
        requested.LegendText = "requested (sum of setpoints)";
        var delivered = plot.Add.ScatterLine(seconds, rounds.Select(r => r.DeliveredKw).ToArray());
        delivered.LegendText = "delivered by dispatched assets";
        delivered.LinePattern = LinePattern.Dashed;
        if (rounds.Any(r => r.FleetTargetKw is not null))
        {
            var target = plot.Add.ScatterLine(seconds, rounds.Select(r => r.FleetTargetKw ?? double.NaN).ToArray());
            target.LegendText = "fleet target";
            target.LinePattern = LinePattern.Dotted;
        }

        plot.Title(title);
        plot.XLabel("elapsed (s)");
        plot.YLabel("power (kW, + export)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, widthPx, heightPx);
    }
}
