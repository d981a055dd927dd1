namespace Vpp.Client.Errors;

/// <summary>
/// The fleet has no room for the virtual battery: the slices whose windows overlap would exceed its registered
/// batteries less FCR/aFRR commitments and the operator's reserve. <see cref="FreePowerKw"/> and
/// <see cref="FreeEnergyKwh"/> are what is still free for it (HTTP API: 409).
/// </summary>
public sealed class VppOverbookedException(string field, double freePowerKw, double freeEnergyKwh, string message, Exception? inner = null)
    : VppException(message, inner)
{
    /// <summary>"powerKw" or "energyKwh": the first that does not fit.</summary>
    public string Field { get; } = field;

    /// <summary>Power still free for this virtual battery (kW each way).</summary>
    public double FreePowerKw { get; } = freePowerKw;

    /// <summary>Energy still free for this virtual battery (kWh).</summary>
    public double FreeEnergyKwh { get; } = freeEnergyKwh;
}

/// <summary>
/// The virtual battery cannot deliver the dispatch or schedule (HTTP API: 400 with <c>reason</c>):
/// <see cref="Reason"/> is "power", "energy", "soc" or "window"; <see cref="Field"/> names the wire field
/// (<c>targetKw</c>, <c>slots[3].targetKw</c>).
/// </summary>
public sealed class VppUndeliverableException(string reason, string field, string problem, Exception? inner = null)
    : VppException($"{field}: {problem}", inner)
{
    /// <summary>power, energy, soc or window.</summary>
    public string Reason { get; } = reason;

    /// <summary>The wire field at fault.</summary>
    public string Field { get; } = field;

    /// <summary>What is wrong, in words.</summary>
    public string Problem { get; } = problem;
}
