using Vpp.Abstractions.Errors;
using Vpp.Abstractions.Fleets;
using Vpp.Client.Errors;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>How far back the fleet's output history reaches.</summary>
    public const int MaxOutputMinutes = 60;

    /// <summary>
    /// The fleet's output over the last <paramref name="minutes"/>, oldest first: its standing target, what its assets
    /// acknowledged, and the sum of what they measured (null while none measured recently), one sample about every 2 s.
    /// The last hour is stored with the fleet about once a minute and on deactivation: a graceful restart keeps it, a
    /// crash leaves a gap of at most that minute.
    /// </summary>
    /// <exception cref="VppNotFoundException">No asset ever joined the fleet.</exception>
    /// <exception cref="VppValidationException">The id is malformed or <paramref name="minutes"/> is not 1 to <see cref="MaxOutputMinutes"/>.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<FleetOutput> GetOutputAsync(string fleetId, int minutes = MaxOutputMinutes, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("fleetId", fleetId);
        if (minutes is < 1 or > MaxOutputMinutes)
        {
            throw new VppValidationException([new FieldProblem("minutes", $"must be a whole number from 1 to {MaxOutputMinutes}")]);
        }

        return ErrorTranslation.CallAsync(() => Fleet(fleetId).GetOutputAsync(minutes), cancellationToken);
    }
}
