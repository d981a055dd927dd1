using Vpp.Abstractions.Errors;

namespace Vpp.Client;

/// <summary>
/// How to reach the VPP cluster and how the SDK behaves. Set exactly one way to find the cluster:
/// <see cref="PostgresConnectionString"/> (the silos' PostgreSQL membership table), <see cref="Gateways"/> (a
/// static list), or neither for a local silo on <see cref="LocalGatewayPort"/>. Bindable from configuration
/// (section <see cref="SectionName"/>).
/// </summary>
public sealed class VppClientOptions
{
    /// <summary>Configuration section the options are usually bound from.</summary>
    public const string SectionName = "VppClient";

    /// <summary>Cluster id of the silos (Orleans:ClusterId on the silo). Default "vpp-local".</summary>
    public string ClusterId { get; set; } = "vpp-local";

    /// <summary>Service id of the silos (Orleans:ServiceId on the silo). Default "vpp".</summary>
    public string ServiceId { get; set; } = "vpp";

    /// <summary>Gateway port of a silo on this machine (Orleans:GatewayPort on the silo), used when no other way is set. Default 30000.</summary>
    public int LocalGatewayPort { get; set; } = 30000;

    /// <summary>Static gateway list, each "host:port" (an IP address or a DNS name and the silo's gateway port).</summary>
    public IList<string> Gateways { get; set; } = [];

    /// <summary>Npgsql connection string of the database holding the silos' membership table (ADO.NET clustering).</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>How long <see cref="VppClient.ConnectAsync(VppClientOptions, CancellationToken)"/> keeps trying to reach a gateway. Default 15 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one operation waits for the cluster's answer before <see cref="Errors.VppUnavailableException"/>. Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The synchronous area frequency measurements are reported to (the silo's Vpp:GridServices:Area).</summary>
    public string GridArea { get; set; } = Abstractions.GridServices.GridAreas.ContinentalEurope;

    /// <summary>
    /// How often a live event subscription renews itself with the fleet. This is also how soon a subscription
    /// notices that the fleet was reactivated elsewhere (after a silo restart) and resubscribes. Default 5 s.
    /// </summary>
    public TimeSpan SubscriptionRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Items per telemetry batch sent to the cluster; larger sets are split. Default 2,000.</summary>
    public int TelemetryBatchSize { get; set; } = 2_000;

    /// <summary>Telemetry batches of one call in flight at once. Default 4.</summary>
    public int MaxConcurrentTelemetryBatches { get; set; } = 4;

    /// <summary>Every problem with these options, by option name; empty when they are usable.</summary>
    public IReadOnlyList<FieldProblem> Validate()
    {
        var problems = new List<FieldProblem>();
        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                problems.Add(new FieldProblem(field, message));
            }
        }

        Check(!string.IsNullOrWhiteSpace(ClusterId), nameof(ClusterId), "must not be empty");
        Check(!string.IsNullOrWhiteSpace(ServiceId), nameof(ServiceId), "must not be empty");
        Check(LocalGatewayPort is > 0 and <= 65535, nameof(LocalGatewayPort), "must be a port number (1-65535)");
        Check(
            Gateways.Count == 0 || string.IsNullOrWhiteSpace(PostgresConnectionString),
            nameof(Gateways),
            $"set either {nameof(Gateways)} or {nameof(PostgresConnectionString)}, not both");
        for (var i = 0; i < Gateways.Count; i++)
        {
            Check(GatewayEndpoints.TryParse(Gateways[i], out _, out _), $"{nameof(Gateways)}[{i}]", "must be \"host:port\"");
        }

        Check(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");
        Check(ResponseTimeout > TimeSpan.Zero, nameof(ResponseTimeout), "must be positive");
        Check(
            SubscriptionRefreshInterval >= TimeSpan.FromMilliseconds(100) && SubscriptionRefreshInterval <= TimeSpan.FromMinutes(10),
            nameof(SubscriptionRefreshInterval),
            "must be between 100 ms and 10 minutes");
        Check(
            TelemetryBatchSize is >= 1 and <= Abstractions.Ingest.ITelemetryIngestGrain.MaxBatchSize,
            nameof(TelemetryBatchSize),
            $"must be between 1 and {Abstractions.Ingest.ITelemetryIngestGrain.MaxBatchSize}");
        Check(MaxConcurrentTelemetryBatches is >= 1 and <= 64, nameof(MaxConcurrentTelemetryBatches), "must be between 1 and 64");
        return problems;
    }

    /// <summary>Where the client looks for the cluster, for messages and logs (no secrets).</summary>
    internal string DescribeTarget() =>
        !string.IsNullOrWhiteSpace(PostgresConnectionString) ? $"PostgreSQL membership of cluster '{ClusterId}'"
        : Gateways.Count > 0 ? $"gateways {string.Join(", ", Gateways)}"
        : $"local gateway port {LocalGatewayPort}";
}
