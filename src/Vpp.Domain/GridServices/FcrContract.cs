using Vpp.Domain.Assets;
using Vpp.Domain.Validation;

namespace Vpp.Domain.GridServices;

/// <summary>A symmetric FCR band a fleet has sold: ±<see cref="ContractedKw"/>. Zero ends the contract.</summary>
public sealed record FcrContract(double ContractedKw)
{
    /// <summary>
    /// Checks the band. <paramref name="maxPowerKw"/>, when given, is the largest band the fleet's power can hold in
    /// both directions around its base (<see cref="FcrBand.SymmetricFreeKw"/>); <paramref name="maxEnergyKw"/> the
    /// largest once its batteries must sustain their reserves for the activation time (<see cref="FcrReserves.MaxBandKw"/>).
    /// A contract beyond either could not be delivered.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(double? maxPowerKw = null, double? maxEnergyKw = null)
    {
        var e = new FieldErrors();
        e.NotNegative("contractedKw", ContractedKw);
        e.Magnitude("contractedKw", ContractedKw, AssetSpec.MaxAbsPowerKw);
        if (!double.IsFinite(ContractedKw) || e.Any)
        {
            return e.Errors;
        }

        if (maxPowerKw is { } powerKw && ContractedKw > powerKw + Dispatch.Capability.ToleranceKw)
        {
            e.Add("contractedKw", $"the fleet can hold at most ±{Math.Max(0, powerKw):0.###} kW in both directions (asked {ContractedKw:0.###} kW)");
        }
        else if (maxEnergyKw is { } energyKw && ContractedKw > energyKw + Dispatch.Capability.ToleranceKw)
        {
            e.Add("contractedKw", $"the fleet's batteries can sustain at most ±{Math.Max(0, energyKw):0.###} kW for the activation time "
                + $"in each direction, losses included (asked {ContractedKw:0.###} kW)");
        }

        return e.Errors;
    }
}
