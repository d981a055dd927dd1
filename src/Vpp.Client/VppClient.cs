using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vpp.Client.Errors;

namespace Vpp.Client;

/// <summary>
/// The VPP SDK: typed operations on assets and fleets, batched telemetry, and live fleet events, over the Orleans
/// client. Thread-safe; create one per process and share it. Every operation throws
/// <see cref="VppValidationException"/>, <see cref="VppNotFoundException"/>, <see cref="VppConflictException"/> or
/// <see cref="VppUnavailableException"/> — never a raw Orleans exception for a caller's mistake.
/// </summary>
/// <remarks>
/// Cancelling an operation's token stops waiting for its answer; a request already sent may still take effect.
/// </remarks>
public sealed partial class VppClient : IAsyncDisposable
{
    private readonly IClusterClient _cluster;
    private readonly VppClientOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IHost? _ownedHost;

    internal VppClient(IClusterClient cluster, VppClientOptions options, ILoggerFactory loggerFactory, IHost? ownedHost)
    {
        _cluster = cluster;
        _options = options;
        _loggerFactory = loggerFactory;
        _ownedHost = ownedHost;
    }

    /// <summary>The trader this client acts for in virtual-battery calls (<see cref="VppClientOptions.TraderId"/>); null for the operator.</summary>
    public string? TraderId => _options.TraderId;

    /// <summary>
    /// A client on the same connection that acts for <paramref name="traderId"/> in every virtual-battery call: it
    /// lists, reads, trades, settles and subscribes to that trader's virtual batteries only, and gets
    /// <see cref="VppNotFoundException"/> for another trader's, for the slice books, for deleting, and for every fleet-
    /// and asset-level operation, which is the operator's (<see cref="CheckOperatorId"/>). The trader goes
    /// with each call (Orleans' request context) and the silo's virtual-battery grains apply it, the rule a trader's
    /// API key meets over HTTP. Disposing it leaves the connection to this client.
    /// </summary>
    /// <remarks>
    /// The gateway's mutual TLS certificate is the trust boundary: a gateway client is a trusted system of the operator.
    /// The trader scope keeps one desk's program from seeing or trading another desk's slices by mistake; it is not
    /// authentication against a holder of the certificate, who could claim any trader. A party that must be held to its
    /// own slices uses the HTTP API with its trader's key.
    /// </remarks>
    /// <exception cref="VppValidationException">The trader id is malformed.</exception>
    public VppClient ForTrader(string traderId)
    {
        ErrorTranslation.CheckId("traderId", traderId);
        var options = new VppClientOptions();
        CopyInto(_options, options);
        options.TraderId = traderId;
        return new VppClient(_cluster, options, _loggerFactory, ownedHost: null);
    }

    /// <summary>
    /// Checks the id of a fleet- or asset-level operation. Those are the operator's: a trader's client
    /// (<see cref="ForTrader"/>) gets <see cref="VppNotFoundException"/> for every fleet and asset, as a trader's API key
    /// without fleets does over HTTP, so one desk's program does not read the pooled fleet's events, settlement or
    /// the other traders' curtailments, or dispatch the fleet, by mistake.
    /// </summary>
    private void CheckOperatorId(string field, string? id)
    {
        ErrorTranslation.CheckId(field, id);
        if (TraderId is not null)
        {
            throw new VppNotFoundException(field == "assetId" ? "asset" : "fleet", id!);
        }
    }

    /// <summary>The Orleans grain factory under the SDK, for advanced use.</summary>
    public IGrainFactory Grains => _cluster;

    /// <summary>
    /// Connects to the VPP cluster described by <paramref name="options"/> and returns a client to dispose when done.
    /// </summary>
    /// <exception cref="VppValidationException">The options are unusable (the problems name the options).</exception>
    /// <exception cref="VppUnavailableException">No gateway answered within <see cref="VppClientOptions.ConnectTimeout"/>.</exception>
    public static Task<VppClient> ConnectAsync(VppClientOptions options, CancellationToken cancellationToken = default) =>
        ConnectAsync(options, loggerFactory: null, cancellationToken);

    /// <summary>Connects, logging through <paramref name="loggerFactory"/> (the SDK logs resubscriptions and connection trouble).</summary>
    /// <inheritdoc cref="ConnectAsync(VppClientOptions, CancellationToken)"/>
    public static async Task<VppClient> ConnectAsync(VppClientOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new VppValidationException(problems);
        }

        // No defaults: a library must not pick up the application's appsettings.json or environment.
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(loggerFactory ?? NullLoggerFactory.Instance);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddVppClient(o => CopyInto(options, o));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            host.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new VppUnavailableException($"could not connect to the VPP cluster ({options.DescribeTarget()}): {ex.GetBaseException().Message}", ex);
        }

        var services = host.Services;
        return new VppClient(services.GetRequiredService<IClusterClient>(), options, services.GetRequiredService<ILoggerFactory>(), host);
    }

    /// <summary>Disconnects when this client was created by <see cref="ConnectAsync(VppClientOptions, CancellationToken)"/>; a host-registered client is stopped by its host.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownedHost is null)
        {
            return;
        }

        try
        {
            await _ownedHost.StopAsync(CancellationToken.None);
        }
        finally
        {
            _ownedHost.Dispose();
        }
    }

    private static void CopyInto(VppClientOptions from, VppClientOptions to)
    {
        to.ClusterId = from.ClusterId;
        to.ServiceId = from.ServiceId;
        to.LocalGatewayPort = from.LocalGatewayPort;
        to.Gateways = [.. from.Gateways];
        to.PostgresConnectionString = from.PostgresConnectionString;
        to.ClientCertificatePath = from.ClientCertificatePath;
        to.ClientKeyPath = from.ClientKeyPath;
        to.ClientCertificatePassword = from.ClientCertificatePassword;
        to.CaCertificatePath = from.CaCertificatePath;
        to.ConnectTimeout = from.ConnectTimeout;
        to.ResponseTimeout = from.ResponseTimeout;
        to.SubscriptionRefreshInterval = from.SubscriptionRefreshInterval;
        to.TelemetryBatchSize = from.TelemetryBatchSize;
        to.MaxConcurrentTelemetryBatches = from.MaxConcurrentTelemetryBatches;
        to.TraderId = from.TraderId;
    }
}
