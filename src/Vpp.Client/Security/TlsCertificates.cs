using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Vpp.Client.Security;

/// <summary>
/// Certificates for the mutual TLS of the Orleans silo and gateway ports, shared by the SDK and the silo: loading them
/// from files, and checking a remote certificate against the deployment's own CA instead of the machine's trust store.
/// </summary>
public static class TlsCertificates
{
    /// <summary>Extended key usage "TLS server authentication": silo certificates carry it, client certificates must not.</summary>
    public const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Extended key usage "TLS client authentication": every certificate that dials a gateway or silo carries it.</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// A certificate with its private key: a PKCS#12 file (.pfx/.p12, with <paramref name="password"/>) or a PEM
    /// certificate with its PEM key in <paramref name="keyPath"/> (encrypted when <paramref name="password"/> is set).
    /// </summary>
    public static X509Certificate2 LoadCertificate(string certificatePath, string? keyPath, string? password)
    {
        var extension = Path.GetExtension(certificatePath).ToLowerInvariant();
        if (extension is ".pfx" or ".p12")
        {
            return X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password);
        }

        if (string.IsNullOrWhiteSpace(keyPath))
        {
            throw new InvalidOperationException($"the PEM certificate {certificatePath} needs its private key file (a *KeyPath setting)");
        }

        using var pem = string.IsNullOrEmpty(password)
            ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath);

        // A PEM key is ephemeral; SslStream needs a key it can use on every platform, which a PKCS#12 round trip gives.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>The CA certificates (one or more, PEM) a remote certificate must chain to.</summary>
    public static X509Certificate2Collection LoadAuthorities(string caPath)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caPath);
        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"{caPath} holds no PEM certificate");
        }

        return authorities;
    }

    /// <summary>
    /// Accepts a remote certificate only when it chains to one of <paramref name="authorities"/> (and no other root),
    /// names <paramref name="requiredUsageOid"/> among its extended key usages, and — when
    /// <paramref name="allowedSha256Fingerprints"/> is not empty — is one of those certificates. Host names are not
    /// compared: silos are addressed by IP and the CA is private to the deployment, so issuance is the identity.
    /// </summary>
    public static RemoteCertificateValidator Validator(
        X509Certificate2Collection authorities, string requiredUsageOid, IReadOnlyCollection<string>? allowedSha256Fingerprints = null)
    {
        var allowed = new HashSet<string>(
            (allowedSha256Fingerprints ?? []).Select(NormalizeFingerprint), StringComparer.Ordinal);
        return (certificate, _, policyErrors) =>
        {
            if (policyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || !HasUsage(certificate, requiredUsageOid))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(requiredUsageOid));
            return chain.Build(certificate)
                && (allowed.Count == 0 || allowed.Contains(Sha256Fingerprint(certificate)));
        };
    }

    /// <summary>The certificate's SHA-256 fingerprint as upper-case hex without separators.</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate) =>
        certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>"AB:CD:…" (openssl's output) and "abcd…" both become "ABCD…".</summary>
    public static string NormalizeFingerprint(string fingerprint) =>
        fingerprint.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    /// <summary>An explicit extended-key-usage extension naming the usage; a certificate without one is not accepted.</summary>
    private static bool HasUsage(X509Certificate2 certificate, string oid) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(u => u.Value == oid));
}
