using Vpp.Domain.Assets;
using Vpp.Domain.Validation;

namespace Vpp.Domain.GridServices;

/// <summary>A symmetric FCR band a fleet has sold: ±<see cref="ContractedKw"/>. Zero ends the contract.</summary>
public sealed record FcrContract(double ContractedKw)
{
    public bool IsActive => ContractedKw > 0;

    /// <summary>
    /// Checks the band. <paramref name="maxSymmetricKw"/>, when given, is the largest band the fleet can hold
    /// in both directions (see <see cref="FcrReserves.MaxSymmetricKw"/>); a contract beyond it could not be delivered.
    /// </summary>
    public IReadOnlyList<FieldError> Validate(double? maxSymmetricKw = null)
    {
        var e = new FieldErrors();
        e.NotNegative("contractedKw", ContractedKw);
        e.Magnitude("contractedKw", ContractedKw, AssetSpec.MaxAbsPowerKw);
        if (maxSymmetricKw is { } limitKw && double.IsFinite(ContractedKw) && ContractedKw > limitKw + Dispatch.Capability.ToleranceKw)
        {
            e.Add("contractedKw", $"the fleet can hold at most ±{Math.Max(0, limitKw):0.###} kW in both directions (asked {ContractedKw:0.###} kW)");
        }

        return e.Errors;
    }
}
