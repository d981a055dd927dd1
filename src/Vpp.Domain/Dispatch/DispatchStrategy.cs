namespace Vpp.Domain.Dispatch;

public enum DispatchStrategy
{
    /// <summary>Cheapest marginal cost moves first; assets of equal cost share pro rata by headroom.</summary>
    MeritOrder,

    /// <summary>Every asset moves by the same share of its headroom, whatever it costs.</summary>
    ProRata,
}

public static class DispatchStrategies
{
    public static readonly IReadOnlyList<string> Names = ["meritOrder", "proRata"];

    public static string ToWire(this DispatchStrategy strategy) => Names[(int)strategy];

    public static DispatchStrategy? Parse(string? text) => text switch
    {
        "meritOrder" => DispatchStrategy.MeritOrder,
        "proRata" => DispatchStrategy.ProRata,
        _ => null,
    };
}
