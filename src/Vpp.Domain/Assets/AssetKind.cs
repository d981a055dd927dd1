namespace Vpp.Domain.Assets;

public enum AssetKind
{
    Battery,
    Solar,
    Wind,
    FlexibleLoad,
    Chp,
}

public enum AssetStatus
{
    Online,
    Offline,
    Maintenance,
}

/// <summary>Wire names (camelCase) of the enums, parsed strictly so a typo is an error, not a default.</summary>
public static class WireNames
{
    public static readonly IReadOnlyList<string> Kinds = ["battery", "solar", "wind", "flexibleLoad", "chp"];
    public static readonly IReadOnlyList<string> Statuses = ["online", "offline", "maintenance"];

    public static string ToWire(this AssetKind kind) => Kinds[(int)kind];

    public static string ToWire(this AssetStatus status) => Statuses[(int)status];

    public static AssetKind? ParseKind(string? text) => IndexOf(Kinds, text) is { } i ? (AssetKind)i : null;

    public static AssetStatus? ParseStatus(string? text) => IndexOf(Statuses, text) is { } i ? (AssetStatus)i : null;

    public static string OneOf(IReadOnlyList<string> names) => "must be one of: " + string.Join(", ", names.Select(n => $"\"{n}\""));

    /// <summary>Position of <paramref name="text"/> in <paramref name="names"/> (exact, case-sensitive); null when absent.</summary>
    public static int? IndexOf(IReadOnlyList<string> names, string? text)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return null;
    }
}
