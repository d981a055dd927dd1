namespace Vpp.Silo.Kubernetes;

/// <summary>
/// Microsoft.Orleans.Hosting.Kubernetes for silos running as pods (deploy/k8s): the pod name is the silo name, the pod IP
/// the advertised address, and a silo whose pod is gone is declared dead without waiting for missed probes.
/// On when <c>Orleans:Kubernetes:Enabled</c> is true, or when it is unset and the process runs in a pod
/// (Kubernetes sets <c>KUBERNETES_SERVICE_HOST</c> in every container).
/// </summary>
public static class KubernetesHosting
{
    public const string EnabledKey = "Orleans:Kubernetes:Enabled";
    public const string InClusterVariable = "KUBERNETES_SERVICE_HOST";

    public static bool IsEnabled(IConfiguration config, string? serviceHost) =>
        config.GetValue<bool?>(EnabledKey) ?? !string.IsNullOrEmpty(serviceHost);

    /// <summary>Membership must be shared between pods, so Kubernetes hosting needs the Postgres profile.</summary>
    /// <exception cref="InvalidOperationException">Kubernetes hosting is switched on with a single-host storage provider.</exception>
    public static void UseWhenEnabled(ISiloBuilder silo, IConfiguration config, string storageProvider)
    {
        var explicitlyEnabled = config.GetValue<bool?>(EnabledKey) == true;
        if (!IsEnabled(config, Environment.GetEnvironmentVariable(InClusterVariable)))
        {
            return;
        }

        if (storageProvider != "postgres")
        {
            if (!explicitlyEnabled)
            {
                // A single embedded silo in a pod: nothing to coordinate with other pods.
                return;
            }

            throw new InvalidOperationException(
                $"{EnabledKey} is true but Storage:Provider is '{storageProvider}': silos in Kubernetes share membership " +
                "in PostgreSQL (ASPNETCORE_ENVIRONMENT=Postgres, VPP_POSTGRES).");
        }

        silo.UseKubernetesHosting();
    }
}
