using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using Orleans.Dashboard;
using Vpp.Grains;
using Vpp.Grains.Hosting;
using Vpp.Silo.Storage;

namespace Vpp.Silo.Hosting;

/// <summary>The silo inside the web host: clustering, storage and the dashboard, all from configuration.</summary>
public static class OrleansSetup
{
    public static void AddVppSilo(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.AddVppGrains(config);
        builder.UseOrleans(silo =>
        {
            var provider = StorageProvider(config);
            if (provider == "postgres")
            {
                AddPostgres(silo, config);
            }
            else
            {
                UseLocalhostClustering(silo, config);
                AddEmbeddedStorage(silo, config, provider);
            }

            Kubernetes.KubernetesHosting.UseWhenEnabled(silo, config, provider);
            AllowReminderPeriod(silo, config);
            ClusterTls.Apply(silo, config);
            silo.AddIncomingGrainCallFilter<ClientCallFilter>();

            // Detection timings apply to every clustering provider; the Postgres profile shortens them (docs/cluster.md).
            silo.Services.Configure<ClusterMembershipOptions>(config.GetSection("Orleans:Membership"));
            silo.AddDashboard(o => o.HideTrace = config.GetValue("Dashboard:HideTrace", true));
        });
    }

    /// <summary>Orleans refuses reminder periods under a minute unless told otherwise; a configured shorter upkeep is deliberate.</summary>
    private static void AllowReminderPeriod(ISiloBuilder silo, IConfiguration config)
    {
        var upkeep = config.GetValue<TimeSpan?>($"{VppOptions.SectionName}:{nameof(VppOptions.UpkeepPeriod)}");
        if (upkeep is { } period && period < TimeSpan.FromMinutes(1))
        {
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = period);
        }
    }

    /// <summary>The configured storage provider in lower case: sqlite (default), memory or postgres.</summary>
    public static string StorageProvider(IConfiguration config) =>
        config.GetValue("Storage:Provider", "Sqlite")!.ToLowerInvariant();

    private static void UseLocalhostClustering(ISiloBuilder silo, IConfiguration config)
    {
        var orleans = config.GetSection("Orleans");
        var (siloPort, gatewayPort) = Ports(orleans);
        var primaryPort = orleans.GetValue<int?>("PrimarySiloPort");
        silo.UseLocalhostClustering(
            siloPort,
            gatewayPort,
            primaryPort is { } p && p != siloPort ? new IPEndPoint(IPAddress.Loopback, p) : null,
            serviceId: orleans.GetValue("ServiceId", "vpp")!,
            clusterId: orleans.GetValue("ClusterId", "vpp-local")!);
    }

    /// <summary>Membership, reminders and grain state in PostgreSQL: silos on any number of hosts form one cluster.</summary>
    private static void AddPostgres(ISiloBuilder silo, IConfiguration config)
    {
        var settings = PostgresSettings.From(config);
        var orleans = config.GetSection("Orleans");
        var (siloPort, gatewayPort) = Ports(orleans);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = orleans.GetValue("ServiceId", "vpp")!;
            o.ClusterId = orleans.GetValue("ClusterId", "vpp-local")!;
        });
        silo.ConfigureEndpoints(
            AdvertisedAddress(orleans.GetValue("AdvertisedHost", "127.0.0.1")!),
            siloPort,
            gatewayPort,
            listenOnAnyHostAddress: orleans.GetValue("ListenOnAnyHostAddress", false));
        silo.UseVppPostgresClustering(settings.ConnectionString, settings.SqlFolder, settings.ApplySchemaAtStart);
        silo.UseVppPostgresReminders(settings.ConnectionString, settings.SqlFolder, settings.ApplySchemaAtStart);
        silo.AddVppPostgresGrainStorage(VppOptions.StorageName, settings.ConnectionString, settings.SqlFolder, settings.ApplySchemaAtStart);
    }

    private static void AddEmbeddedStorage(ISiloBuilder silo, IConfiguration config, string provider)
    {
        switch (provider)
        {
            case "sqlite":
                var connectionString = config.GetValue<string>("Storage:Sqlite:ConnectionString")
                    ?? throw new InvalidOperationException("Storage:Sqlite:ConnectionString is not configured");
                var sqlFolder = Path.Combine(config["Vpp:ConfigDirectory"]!, "sql", "sqlite");
                silo.AddVppSqliteGrainStorage(VppOptions.StorageName, connectionString, sqlFolder,
                    config.GetValue("Storage:Sqlite:MaxWriteBatch", SqliteStorageSetup.DefaultMaxWriteBatch));
                silo.UseVppSqliteReminders(connectionString, sqlFolder);
                break;
            case "memory":
                silo.AddMemoryGrainStorage(VppOptions.StorageName);
                silo.Services.UseStateJson();
                silo.UseInMemoryReminderService(); // lost with the process, like the state it keeps
                break;
            default:
                throw new InvalidOperationException(
                    $"Storage:Provider '{config["Storage:Provider"]}' is not supported (use Sqlite, Memory or Postgres)");
        }
    }

    private static (int SiloPort, int GatewayPort) Ports(IConfigurationSection orleans) =>
        (orleans.GetValue("SiloPort", EndpointOptions.DEFAULT_SILO_PORT),
         orleans.GetValue("GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT));

    /// <summary>
    /// The address other silos and clients dial: an IP, or a host name resolved once at start (a container's
    /// service name in docker-compose). Membership rows hold IPs, so a name must resolve to one here.
    /// </summary>
    private static IPAddress AdvertisedAddress(string host)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        var resolved = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        return resolved ?? throw new InvalidOperationException(
            $"Orleans:AdvertisedHost '{host}' does not resolve to an IPv4 address; set it to the IP other silos reach this one on.");
    }
}
