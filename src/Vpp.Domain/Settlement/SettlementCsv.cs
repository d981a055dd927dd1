using System.Globalization;

namespace Vpp.Domain.Settlement;

/// <summary>
/// The settlement as CSV: one row per slot for the fleet (assetId empty) followed by one row per asset. Invariant
/// culture, UTC instants in ISO 8601, empty cells for unknown values — a spreadsheet must not turn "unknown" into 0.
/// </summary>
public static class SettlementCsv
{
    public const string Header =
        "slotStart,slotEnd,assetId,requestedKwh,deliveredKwh,deviationKwh,deviationPercent,coveragePercent,sharePercent,complete,compensatedFor";

    public static void Write(TextWriter writer, IEnumerable<SlotSettlement> slots)
    {
        writer.WriteLine(Header);
        foreach (var slot in slots)
        {
            WriteSlot(writer, slot);
        }
    }

    /// <summary>One slot: its fleet row, then a row per asset (no header).</summary>
    public static void WriteSlot(TextWriter writer, SlotSettlement slot)
    {
        var (start, end) = (Instant(slot.Start), Instant(slot.End));
        var coverage = slot.Assets.Count == 0 ? 100 : slot.Assets.Min(a => a.CoveragePercent);
        writer.WriteLine(string.Join(',', start, end, "", Number(slot.RequestedKwh), Number(slot.DeliveredKwh),
            Number(slot.DeviationKwh), Number(slot.DeviationPercent), Number(coverage), Number(100), Bool(slot.IsComplete), ""));
        foreach (var asset in slot.Assets)
        {
            var helped = string.Join(' ', slot.Compensations.Where(c => c.CompensatingAssetId == asset.AssetId)
                .Select(c => $"{c.ForAssetId}:{Number(c.Kwh)}"));
            writer.WriteLine(string.Join(',', start, end, Text(asset.AssetId), Number(asset.RequestedKwh), Number(asset.DeliveredKwh),
                Number(asset.DeviationKwh), "", Number(asset.CoveragePercent), Number(asset.SharePercent), Bool(asset.IsComplete), Text(helped)));
        }
    }

    /// <summary>The fleet rows only (no asset rows, coverage unknown at fleet level): for a settlement of totals.</summary>
    public static string ToCsv(IEnumerable<SlotTotals> slots)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        writer.WriteLine(Header);
        foreach (var slot in slots)
        {
            writer.WriteLine(string.Join(',', Instant(slot.Start), Instant(slot.End), "", Number(slot.RequestedKwh), Number(slot.DeliveredKwh),
                Number(slot.DeviationKwh), Number(slot.DeviationPercent), "", Number(100), Bool(slot.IsComplete), ""));
        }

        return writer.ToString();
    }

    public static string ToCsv(IEnumerable<SlotSettlement> slots)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(writer, slots);
        return writer.ToString();
    }

    private static string Instant(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(double? v) => v is { } x ? Math.Round(x, 6).ToString("0.######", CultureInfo.InvariantCulture) : "";

    private static string Bool(bool b) => b ? "true" : "false";

    /// <summary>
    /// Quotes a cell that needs it (RFC 4180) and defuses a leading =, +, - or @ with an apostrophe so a spreadsheet
    /// does not run it as a formula: ids are restricted, but an export should not rely on that.
    /// </summary>
    public static string Text(string s)
    {
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@')
        {
            s = "'" + s;
        }

        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
