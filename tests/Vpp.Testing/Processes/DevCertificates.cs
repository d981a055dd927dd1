using System.Diagnostics;

namespace Vpp.Testing;

/// <summary>
/// The certificates of scripts/dev-certs.sh (a CA, a silo and a client certificate, and a client of another CA),
/// made once per test process in its own folder: every silo process runs with mutual TLS as in production.
/// </summary>
public static class DevCertificates
{
    private static readonly Lazy<string> LazyFolder = new(Create);

    public static string Folder => LazyFolder.Value;

    public static string Ca => Path.Combine(Folder, "ca.crt");

    public static string SiloCertificate => Path.Combine(Folder, "silo.crt");

    public static string SiloKey => Path.Combine(Folder, "silo.key");

    public static string ClientCertificate => Path.Combine(Folder, "client.crt");

    public static string ClientKey => Path.Combine(Folder, "client.key");

    public static string OtherCaClientCertificate => Path.Combine(Folder, "other-client.crt");

    public static string OtherCaClientKey => Path.Combine(Folder, "other-client.key");

    /// <summary>The silo's TLS settings as environment variables.</summary>
    public static IReadOnlyDictionary<string, string> SiloSettings => new Dictionary<string, string>
    {
        ["Orleans__Tls__Enabled"] = "true",
        ["Orleans__Tls__CertificatePath"] = SiloCertificate,
        ["Orleans__Tls__KeyPath"] = SiloKey,
        ["Orleans__Tls__CaPath"] = Ca,
    };

    private static string Create()
    {
        var folder = Path.Combine(SiloProcess.LogDirectory, $"certs-{Environment.ProcessId}");
        var script = Path.Combine(RepositoryRoot.Path, "scripts", "dev-certs.sh");
        using var process = Process.Start(new ProcessStartInfo(script, [folder, "--other-ca"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed: {output}");
        }

        return folder;
    }
}
