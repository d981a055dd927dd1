using Vpp.Domain.Validation;

namespace Vpp.Domain.GridServices;

/// <summary>
/// aFRR capacity the fleet has sold, per direction: positive aFRR (more export) and negative aFRR (less export). The
/// German TSOs procure the two directions as separate products, and capacity awarded must be held available for
/// activation for the whole product time slice (regelleistung.net, aFRR product terms), so flexibility and bids
/// offer only what is left after it, as they do after the FCR band.
/// </summary>
public sealed record AfrrCapacityInput(double? UpKw, double? DownKw)
{
    /// <param name="maxUpKw">How far the fleet can raise its output from its target.</param>
    /// <param name="maxDownKw">How far it can lower it.</param>
    public IReadOnlyList<FieldError> Validate(double maxUpKw, double maxDownKw)
    {
        var e = new FieldErrors();
        Check(e, "upKw", UpKw, maxUpKw, "raise");
        Check(e, "downKw", DownKw, maxDownKw, "lower");
        return e.Errors;
    }

    private static void Check(FieldErrors e, string field, double? kw, double maxKw, string verb)
    {
        e.Required(field, kw, "(kW sold in this direction; 0 for none)");
        if (kw is not { } value || !e.Finite(field, value))
        {
            return;
        }

        if (value < 0)
        {
            e.Add(field, $"must not be negative (got {value:0.###})");
        }
        else if (value > maxKw + Dispatch.Capability.ToleranceKw)
        {
            e.Add(field, $"must be at most {Math.Max(0, maxKw):0.###} kW, what the fleet can {verb} its output from its target (got {value:0.###})");
        }
    }
}
