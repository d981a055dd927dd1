using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Connections.Security;
using Vpp.Client.Errors;
using Vpp.Client.Security;

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
        if (options.UsesTls)
        {
            UseMutualTls(client, options);
        }

        client.Services.AddSingleton<IClientConnectionRetryFilter>(new ConnectRetryFilter(options.ConnectTimeout));
    }

    /// <summary>Presents the client certificate and accepts only gateways whose certificate is a silo's of our CA.</summary>
    private static void UseMutualTls(IClientBuilder client, VppClientOptions options)
    {
        var certificate = TlsCertificates.LoadCertificate(
            options.ClientCertificatePath!, options.ClientKeyPath, options.ClientCertificatePassword);
        var authorities = TlsCertificates.LoadAuthorities(options.CaCertificatePath!);
        client.UseTls(certificate, tls =>
        {
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = TlsCertificates.Validator(authorities, TlsCertificates.ServerAuthenticationOid);
        });
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
