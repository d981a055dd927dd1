using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Vpp.Client.Errors;

namespace Vpp.Client.Hosting;

/// <summary>Configures the Orleans client from <see cref="VppClientOptions"/>.</summary>
internal static class ClientSetup
{
    /// <summary>The ADO.NET invariant the Orleans clustering provider maps to Npgsql's factory.</summary>
    private const string NpgsqlInvariant = "Npgsql";

    public static void Apply(IClientBuilder client, VppClientOptions options)
    {
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new VppValidationException(problems);
        }

        if (!string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = NpgsqlInvariant;
                o.ConnectionString = options.PostgresConnectionString;
            });
        }
        else if (options.Gateways.Count > 0)
        {
            client.UseStaticClustering(GatewayEndpoints.Resolve(options.Gateways));
        }
        else
        {
            client.UseLocalhostClustering(options.LocalGatewayPort);
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = options.ResponseTimeout);
        client.Services.AddSingleton<IClientConnectionRetryFilter>(new ConnectRetryFilter(options.ConnectTimeout));
    }

    /// <summary>Keeps trying to reach a gateway until the connect timeout: silos may still be starting.</summary>
    private sealed class ConnectRetryFilter(TimeSpan connectTimeout) : IClientConnectionRetryFilter
    {
        private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
        private DateTime? _deadline;

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            _deadline ??= DateTime.UtcNow + connectTimeout;
            if (DateTime.UtcNow + RetryDelay >= _deadline)
            {
                return false;
            }

            await Task.Delay(RetryDelay, cancellationToken);
            return true;
        }
    }
}
