using Vpp.Abstractions.VirtualBatteries;

namespace Vpp.Grains.VirtualBatteries;

/// <summary>Reads the caller's <see cref="TraderScope"/> where a call enters a virtual-battery grain.</summary>
internal static class CallerTrader
{
    /// <summary>
    /// The trader the call acts for (null: the operator), taken out of the request context so that the calls this grain
    /// makes on its behalf (to the book, the fleet, other slices) run as the VPP's own.
    /// </summary>
    public static string? Take()
    {
        var trader = RequestContext.Get(TraderScope.Key) as string;
        if (trader is not null)
        {
            RequestContext.Remove(TraderScope.Key);
        }

        return trader;
    }
}
