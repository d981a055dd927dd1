namespace Vpp.Abstractions.VirtualBatteries;

/// <summary>
/// The trader a call acts for, carried with the call in Orleans' <see cref="Orleans.Runtime.RequestContext"/> under
/// <see cref="Key"/>: the SDK's trader-scoped client (<c>VppClientOptions.TraderId</c>) and the HTTP API for a trader's
/// key set it; the virtual-battery grains read it where a call enters them. Absent, the caller is the operator.
/// </summary>
/// <remarks>
/// It is not authentication: a gateway client holding the cluster's client certificate could send any value. It keeps
/// one desk's program from reading or trading another desk's slices by mistake.
/// </remarks>
public static class TraderScope
{
    public const string Key = "vpp-trader";

    /// <summary>A caller acting for <paramref name="callerTraderId"/> (the operator when null) may use a slice of <paramref name="ownerTraderId"/>.</summary>
    public static bool Allows(string? callerTraderId, string ownerTraderId) => callerTraderId is null || callerTraderId == ownerTraderId;
}
