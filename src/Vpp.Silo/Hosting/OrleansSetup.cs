using System.Net;
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
            var orleans = config.GetSection("Orleans");
            var siloPort = orleans.GetValue("SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
            var gatewayPort = orleans.GetValue("GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
            var primaryPort = orleans.GetValue<int?>("PrimarySiloPort");
            silo.UseLocalhostClustering(
                siloPort,
                gatewayPort,
                primaryPort is { } p && p != siloPort ? new IPEndPoint(IPAddress.Loopback, p) : null,
                serviceId: orleans.GetValue("ServiceId", "vpp")!,
                clusterId: orleans.GetValue("ClusterId", "vpp-local")!);

            AddStorage(silo, config);
            AllowReminderPeriod(silo, config);
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

    private static void AddStorage(ISiloBuilder silo, IConfiguration config)
    {
        var provider = config.GetValue("Storage:Provider", "Sqlite")!;
        switch (provider.ToLowerInvariant())
        {
            case "sqlite":
                var connectionString = config.GetValue<string>("Storage:Sqlite:ConnectionString")
                    ?? throw new InvalidOperationException("Storage:Sqlite:ConnectionString is not configured");
                var sqlFolder = Path.Combine(config["Vpp:ConfigDirectory"]!, "sql", "sqlite");
                silo.AddVppSqliteGrainStorage(VppOptions.StorageName, connectionString, sqlFolder);
                silo.UseVppSqliteReminders(connectionString, sqlFolder);
                break;
            case "memory":
                silo.AddMemoryGrainStorage(VppOptions.StorageName);
                silo.Services.WriteEveryMember();
                silo.UseInMemoryReminderService(); // lost with the process, like the state it keeps
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{provider}' is not supported (use Sqlite or Memory)");
        }
    }
}
