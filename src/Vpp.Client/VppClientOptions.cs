using Vpp.Abstractions.Errors;
using Vpp.Domain.Assets;

namespace Vpp.Client;

/// <summary>
/// How to reach the VPP cluster and how the SDK behaves. For a deployed cluster set <see cref="Gateways"/> (a static
/// list of silo gateways) and the client certificate (<see cref="ClientCertificatePath"/>, <see cref="ClientKeyPath"/>,
/// <see cref="CaCertificatePath"/>): the gateways require mutual TLS and the client needs no database credentials.
/// Without either, the client reaches a local single silo on <see cref="LocalGatewayPort"/> (loopback, no TLS).
/// <see cref="PostgresConnectionString"/> (finding gateways in the silos' membership table) still works but hands the
/// client a database credential; prefer the gateway list. Bindable from configuration (section <see cref="SectionName"/>).
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

    /// <summary>
    /// Npgsql connection string of the database holding the silos' membership table (ADO.NET clustering). Not advised:
    /// it gives every client a database credential; use <see cref="Gateways"/>.
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// The client's certificate for the gateways' mutual TLS: PEM (with <see cref="ClientKeyPath"/>) or PKCS#12
    /// (.pfx/.p12). It must carry the extended key usage "TLS client authentication". Setting it turns TLS on.
    /// </summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="ClientCertificatePath"/> (not needed for .pfx/.p12).</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>Password of a .pfx/.p12 certificate or of an encrypted PEM key; none by default.</summary>
    public string? ClientCertificatePassword { get; set; }

    /// <summary>PEM file with the CA certificate(s) the silos' certificates must chain to (the deployment's own CA).</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// The trader this client acts for in every virtual-battery call (one of the silo's Auth:Traders), or null for the
    /// operator. A trader's client sees and trades only that trader's virtual batteries: another's, the slice books and
    /// deleting, and every fleet and asset (the operator's operations) answer <see cref="Errors.VppNotFoundException"/>. It keeps one desk's program from using another desk's
    /// slices by mistake; it is not authentication (the client certificate is), see <see cref="VppClient.ForTrader"/>.
    /// </summary>
    public string? TraderId { get; set; }

    /// <summary>True when the client connects with mutual TLS.</summary>
    internal bool UsesTls => !string.IsNullOrWhiteSpace(ClientCertificatePath);

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

        Check(TraderId is null || EntityId.Problem(TraderId) is null, nameof(TraderId), EntityId.Problem(TraderId) ?? "");
        CheckTls(Check);
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

    private void CheckTls(Action<bool, string, string> check)
    {
        static bool Exists(string? path) => !string.IsNullOrWhiteSpace(path) && File.Exists(path);
        var pkcs12 = Path.GetExtension(ClientCertificatePath ?? "").ToLowerInvariant() is ".pfx" or ".p12";
        if (UsesTls)
        {
            check(Exists(ClientCertificatePath), nameof(ClientCertificatePath), "file not found");
            check(pkcs12 || Exists(ClientKeyPath), nameof(ClientKeyPath), "must name the PEM private key of the client certificate");
            check(Exists(CaCertificatePath), nameof(CaCertificatePath), "must name the PEM file of the CA the silos' certificates chain to");
        }
        else
        {
            check(
                string.IsNullOrWhiteSpace(ClientKeyPath) && string.IsNullOrWhiteSpace(CaCertificatePath),
                nameof(ClientCertificatePath),
                $"is required when {nameof(ClientKeyPath)} or {nameof(CaCertificatePath)} is set");
        }
    }

    /// <summary>Where the client looks for the cluster, for messages and logs (no secrets).</summary>
    internal string DescribeTarget() =>
        (!string.IsNullOrWhiteSpace(PostgresConnectionString) ? $"PostgreSQL membership of cluster '{ClusterId}'"
        : Gateways.Count > 0 ? $"gateways {string.Join(", ", Gateways)}"
        : $"local gateway port {LocalGatewayPort}")
        + (UsesTls ? " with a client certificate" : "");
}
