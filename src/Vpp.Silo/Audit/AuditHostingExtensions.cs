using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Vpp.Silo.Hosting;
using Vpp.Silo.Storage;

namespace Vpp.Silo.Audit;

/// <summary>The audit trail in the silo's own database: SQLite (same file as the grain state), PostgreSQL, or memory.</summary>
public static class AuditHostingExtensions
{
    public static WebApplicationBuilder AddAuditTrail(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.Configure<AuditOptions>(config.GetSection(AuditOptions.SectionName));
        builder.Services.AddSingleton<IAuditStore>(sp => Store(config, sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        builder.Services.AddSingleton(sp => new AuditWriter(
            sp.GetRequiredService<IAuditStore>(),
            sp.GetRequiredService<IOptions<AuditOptions>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<AuditWriter>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        return builder;
    }

    private static IAuditStore Store(IConfiguration config, string serviceId)
    {
        switch (OrleansSetup.StorageProvider(config))
        {
            case "sqlite":
                var sqlite = SqliteStorageSetup.NormalizeConnectionString(config.GetValue<string>("Storage:Sqlite:ConnectionString")
                    ?? throw new InvalidOperationException("Storage:Sqlite:ConnectionString is not configured"));
                return new AdoNetAuditStore(() => new SqliteConnection(sqlite), serviceId);
            case "postgres":
                var postgres = PostgresSetup.NormalizeConnectionString(PostgresSettings.From(config).ConnectionString);
                return new AdoNetAuditStore(() => new NpgsqlConnection(postgres), serviceId);
            default:
                return new InMemoryAuditStore();
        }
    }

    /// <summary>Before authentication in the pipeline, so refused calls are recorded too; the key's name is read after the call.</summary>
    public static WebApplication UseAuditTrail(this WebApplication app)
    {
        app.UseMiddleware<AuditMiddleware>();
        return app;
    }
}
