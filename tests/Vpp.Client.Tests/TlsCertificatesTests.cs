using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vpp.Client.Security;

namespace Vpp.Client.Tests;

/// <summary>Who the silo and gateway ports accept: certificates of the deployment's CA, in their role.</summary>
public sealed class TlsCertificatesTests : IDisposable
{
    private readonly X509Certificate2 _ca = Authority("test CA");
    private readonly X509Certificate2 _otherCa = Authority("other CA");
    private readonly X509Certificate2 _silo;
    private readonly X509Certificate2 _client;
    private readonly X509Certificate2 _otherClient;
    private readonly X509Certificate2Collection _trusted;

    public TlsCertificatesTests()
    {
        _silo = Leaf(_ca, "silo", TlsCertificates.ServerAuthenticationOid, TlsCertificates.ClientAuthenticationOid);
        _client = Leaf(_ca, "client", TlsCertificates.ClientAuthenticationOid);
        _otherClient = Leaf(_otherCa, "client", TlsCertificates.ClientAuthenticationOid);
        _trusted = [X509CertificateLoader.LoadCertificate(_ca.RawData)];
    }

    [Fact]
    public void The_silo_port_accepts_silo_certificates_of_the_ca_only()
    {
        var siloPort = TlsCertificates.Validator(_trusted, TlsCertificates.ServerAuthenticationOid);

        Assert.True(siloPort(_silo, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(siloPort(_client, null, SslPolicyErrors.RemoteCertificateChainErrors)); // a client cannot pose as a silo
        Assert.False(siloPort(Leaf(_otherCa, "silo", TlsCertificates.ServerAuthenticationOid), null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void The_gateway_accepts_client_certificates_of_the_ca_and_only_listed_ones_when_a_list_is_set()
    {
        var gateway = TlsCertificates.Validator(_trusted, TlsCertificates.ClientAuthenticationOid);
        var listed = TlsCertificates.Validator(
            _trusted, TlsCertificates.ClientAuthenticationOid, [ColonSeparated(TlsCertificates.Sha256Fingerprint(_client))]);
        var anotherClient = Leaf(_ca, "another client", TlsCertificates.ClientAuthenticationOid);

        Assert.True(gateway(_client, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(gateway(_otherClient, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(gateway(_client, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.True(listed(_client, null, SslPolicyErrors.None));
        Assert.False(listed(anotherClient, null, SslPolicyErrors.None));
    }

    [Fact]
    public void A_pem_certificate_and_key_load_with_the_private_key()
    {
        var folder = Directory.CreateTempSubdirectory("vpp-tls-").FullName;
        try
        {
            var certificatePath = Path.Combine(folder, "client.crt");
            var keyPath = Path.Combine(folder, "client.key");
            File.WriteAllText(certificatePath, _client.ExportCertificatePem());
            File.WriteAllText(keyPath, _client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(folder, "ca.crt"), _ca.ExportCertificatePem() + "\n" + _otherCa.ExportCertificatePem());

            using var loaded = TlsCertificates.LoadCertificate(certificatePath, keyPath, password: null);

            Assert.True(loaded.HasPrivateKey);
            Assert.Equal(_client.Thumbprint, loaded.Thumbprint);
            Assert.Equal(2, TlsCertificates.LoadAuthorities(Path.Combine(folder, "ca.crt")).Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public void Dispose()
    {
        foreach (var certificate in new[] { _ca, _otherCa, _silo, _client, _otherClient })
        {
            certificate.Dispose();
        }
    }

    private static string ColonSeparated(string hex) => string.Join(':', hex.Chunk(2).Select(c => new string(c)));

    private static X509Certificate2 Authority(string name)
    {
        var request = new CertificateRequest($"CN={name}", ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 Leaf(X509Certificate2 issuer, string name, params string[] usages)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256); // owned by the certificate returned
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var oids = new OidCollection();
        foreach (var usage in usages)
        {
            oids.Add(new Oid(usage));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var certificate = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        return certificate.CopyWithPrivateKey(key);
    }
}
