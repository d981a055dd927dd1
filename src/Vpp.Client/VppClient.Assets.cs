using Vpp.Abstractions.Assets;
using Vpp.Abstractions.Errors;
using Vpp.Client.Errors;
using Vpp.Domain.Assets;

namespace Vpp.Client;

public sealed partial class VppClient
{
    /// <summary>
    /// Registers an asset, or updates it (same kind): it joins, or moves to, the fleet named in the spec.
    /// Registered assets are offline until their first telemetry.
    /// </summary>
    /// <exception cref="VppValidationException">The id or spec is invalid.</exception>
    /// <exception cref="VppConflictException">The asset exists with another kind.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<AssetView> RegisterAssetAsync(string assetId, AssetSpec spec, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("assetId", assetId);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Validate() is { Count: > 0 } errors)
        {
            throw new VppValidationException([.. errors.Select(e => new FieldProblem(e.Field, e.Message))]);
        }

        return ErrorTranslation.CallAsync(() => Asset(assetId).ConfigureAsync(spec), cancellationToken);
    }

    /// <summary>Removes an asset: it leaves its fleet (which re-dispatches what the asset delivered) and its state is cleared.</summary>
    /// <exception cref="VppNotFoundException">The asset is not registered.</exception>
    /// <exception cref="VppValidationException">The id is malformed.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task RemoveAssetAsync(string assetId, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("assetId", assetId);
        return ErrorTranslation.CallAsync(() => Asset(assetId).RemoveAsync(), cancellationToken);
    }

    /// <summary>The asset's spec, status, latest telemetry, accepted setpoint and what it can do now.</summary>
    /// <exception cref="VppNotFoundException">The asset is not registered.</exception>
    /// <exception cref="VppValidationException">The id is malformed.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public async Task<AssetView> GetAssetAsync(string assetId, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("assetId", assetId);
        return await ErrorTranslation.CallAsync(() => Asset(assetId).GetAsync(), cancellationToken)
            ?? throw new VppNotFoundException("asset", assetId);
    }

    /// <summary>Reports one measurement. For many assets use <see cref="ReportTelemetryBatchAsync"/>.</summary>
    /// <exception cref="VppNotFoundException">The asset is not registered.</exception>
    /// <exception cref="VppValidationException">The id or a value is invalid (non-finite, SoC on a non-battery, a timestamp more than the silo's Vpp:MaxClockSkew ahead of its clock).</exception>
    /// <exception cref="VppConflictException">Field "timestamp": the measurement is older than the asset's last one and was ignored.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task ReportTelemetryAsync(string assetId, Telemetry telemetry, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("assetId", assetId);
        ArgumentNullException.ThrowIfNull(telemetry);
        return ErrorTranslation.CallAsync(() => Asset(assetId).ReportTelemetryAsync(telemetry), cancellationToken);
    }

    /// <summary>
    /// Reports an asset's status: "offline" or "maintenance" takes it out of dispatch (its fleet re-dispatches),
    /// "online" brings it back.
    /// </summary>
    /// <exception cref="VppNotFoundException">The asset is not registered.</exception>
    /// <exception cref="VppValidationException">The id, status or reason is invalid.</exception>
    /// <exception cref="VppUnavailableException">The cluster could not be reached.</exception>
    public Task<AssetView> ReportStatusAsync(string assetId, AssetStatus status, string? reason = null, CancellationToken cancellationToken = default)
    {
        CheckOperatorId("assetId", assetId);
        if (!Enum.IsDefined(status))
        {
            throw new VppValidationException([new FieldProblem("status", WireNames.OneOf(WireNames.Statuses))]);
        }

        return ErrorTranslation.CallAsync(() => Asset(assetId).ReportStatusAsync(status, reason), cancellationToken);
    }

    private IAssetGrain Asset(string assetId) => _cluster.GetGrain<IAssetGrain>(assetId);
}
