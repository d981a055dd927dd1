using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Vpp.Client.Security;

namespace Vpp.Silo.Hosting;

/// <summary>
/// Mutual TLS on the silo port (silo to silo) and the gateway port (clients), from <c>Orleans:Tls</c>. The silo port
/// accepts only silo certificates of the deployment's CA (extended key usage "server authentication"); the gateway
/// accepts client certificates of that CA ("client authentication"), optionally only those in an allow-list of
/// SHA-256 fingerprints. Without TLS both ports must listen on loopback only: anyone who reaches an open gateway can
/// call grains past every check of the HTTP API.
/// </summary>
public sealed class ClusterTls
{
    public const string SectionName = "Orleans:Tls";

    /// <summary>Turns TLS on. The Postgres profile (several hosts) sets it; the embedded single silo may run without.</summary>
    public bool Enabled { get; init; }

    /// <summary>The silo's certificate: PEM (with <see cref="KeyPath"/>) or PKCS#12 (.pfx/.p12).</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; init; }

    /// <summary>Password of a PKCS#12 file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>PEM file with the CA certificate(s) every remote silo and client certificate must chain to.</summary>
    public string? CaPath { get; init; }

    /// <summary>When not empty, the gateway accepts only client certificates with one of these SHA-256 fingerprints.</summary>
    public string[] AllowedClientFingerprints { get; init; } = [];

    public static ClusterTls From(IConfiguration config) =>
        config.GetSection(SectionName).Get<ClusterTls>() ?? new ClusterTls();

    /// <summary>Null when the configuration can start a silo; else what to fix, naming the setting.</summary>
    public static string? Problem(IConfiguration config)
    {
        var tls = From(config);
        if (!tls.Enabled)
        {
            return ListensOnLoopbackOnly(config)
                ? null
                : $"{SectionName}:Enabled is false but the silo and gateway ports would listen beyond loopback "
                  + "(Orleans:AdvertisedHost / Orleans:ListenOnAnyHostAddress): enable TLS with certificates "
                  + "(scripts/dev-certs.sh makes development ones) or keep the ports on loopback";
        }

        if (string.IsNullOrWhiteSpace(tls.CertificatePath) || string.IsNullOrWhiteSpace(tls.CaPath))
        {
            return $"{SectionName}:Enabled is true: set {SectionName}:CertificatePath (and KeyPath for PEM) and {SectionName}:CaPath";
        }

        try
        {
            using var certificate = tls.LoadCertificate();
            var authorities = TlsCertificates.LoadAuthorities(tls.CaPath);
            if (!certificate.HasPrivateKey)
            {
                return $"{SectionName}:CertificatePath {tls.CertificatePath} has no private key";
            }

            // Other silos check this certificate in both directions; checking it here also loads the chain machinery
            // before the first handshake, which on a busy machine would otherwise pay for it within the connect timeout.
            var accepted = TlsCertificates.Validator(authorities, TlsCertificates.ServerAuthenticationOid)(certificate, null, SslPolicyErrors.None)
                           && TlsCertificates.Validator(authorities, TlsCertificates.ClientAuthenticationOid)(certificate, null, SslPolicyErrors.None);
            return accepted
                ? null
                : $"{SectionName}:CertificatePath {tls.CertificatePath} must chain to {SectionName}:CaPath and carry the extended key usages serverAuth and clientAuth";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException
                                       or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return $"{SectionName}: the certificate files cannot be used: {ex.Message}";
        }
    }

    /// <summary>Adds TLS to the silo's connections when enabled (<see cref="Problem"/> has been checked at start).</summary>
    public static void Apply(ISiloBuilder silo, IConfiguration config)
    {
        var tls = From(config);
        if (!tls.Enabled)
        {
            return;
        }

        var certificate = tls.LoadCertificate();
        var authorities = TlsCertificates.LoadAuthorities(tls.CaPath!);
        var betweenSilos = Options(certificate, TlsCertificates.Validator(authorities, TlsCertificates.ServerAuthenticationOid));
        var fromClients = Options(
            certificate, TlsCertificates.Validator(authorities, TlsCertificates.ClientAuthenticationOid, tls.AllowedClientFingerprints));
        // A TLS handshake adds round trips and CPU to every new connection; silos starting together on a loaded
        // machine have needed more than Orleans' default 5 s to connect.
        silo.Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = TimeSpan.FromSeconds(15));
        silo.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(c => c.UseServerTls(betweenSilos));
            connections.ConfigureSiloOutboundConnection(c => c.UseClientTls(betweenSilos));
            connections.ConfigureGatewayInboundConnection(c => c.UseServerTls(fromClients));
        });
    }

    private X509Certificate2 LoadCertificate() => TlsCertificates.LoadCertificate(CertificatePath!, KeyPath, CertificatePassword);

    private static TlsOptions Options(X509Certificate2 certificate, RemoteCertificateValidator validator) => new()
    {
        LocalCertificate = certificate,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        RemoteCertificateValidation = validator,
    };

    /// <summary>
    /// The embedded profile's localhost clustering binds both ports to 127.0.0.1. The Postgres profile listens on the
    /// advertised address, or on every address with ListenOnAnyHostAddress.
    /// </summary>
    private static bool ListensOnLoopbackOnly(IConfiguration config)
    {
        if (OrleansSetup.StorageProvider(config) != "postgres")
        {
            return true;
        }

        var orleans = config.GetSection("Orleans");
        var host = orleans.GetValue("AdvertisedHost", "127.0.0.1")!;
        var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                       || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        return loopback && !orleans.GetValue("ListenOnAnyHostAddress", false);
    }
}
