using Microsoft.Extensions.Configuration;
using Npgsql;
using Orleans;
using Orleans.Hosting;
using Orleans.TestingHost;
using Vpp.Silo.Storage;

namespace Vpp.Silo.Tests.Storage;

public interface IPgWhereTestGrain : IGrainWithIntegerKey
{
    Task<string> Where();
}

public sealed class PgWhereTestGrain : Grain, IPgWhereTestGrain
{
    public Task<string> Where() => Task.FromResult(RuntimeIdentity);
}

/// <summary>Silos of the membership test: PostgreSQL membership from the test cluster's configuration.</summary>
public sealed class PostgresClusteringSiloConfigurator : ISiloConfigurator
{
    public const string ConnectionStringKey = "VppTest:Postgres";
    public const string SqlFolderKey = "VppTest:PostgresSql";

    public void Configure(ISiloBuilder siloBuilder) =>
        siloBuilder.UseVppPostgresClustering(
            siloBuilder.Configuration[ConnectionStringKey]!,
            siloBuilder.Configuration[SqlFolderKey]);
}

/// <summary>The test client finds its gateways through the same PostgreSQL membership table.</summary>
public sealed class PostgresClusteringClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.UseAdoNetClustering(options =>
        {
            options.Invariant = PostgresSetup.AdoNetInvariant;
            options.ConnectionString = configuration[PostgresClusteringSiloConfigurator.ConnectionStringKey];
        });
}

public sealed class PostgresMembershipTests(PostgresFixture database) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Two_silos_form_a_cluster_through_PostgreSQL_membership()
    {
        // TestClusterBuilder with the test membership off: silos and client only meet through the table.
        var builder = new TestClusterBuilder(2);
        builder.Options.ServiceId = database.ServiceId;
        builder.Options.ClusterId = database.ClusterId;
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[PostgresClusteringSiloConfigurator.ConnectionStringKey] = database.ConnectionString;
        builder.Properties[PostgresClusteringSiloConfigurator.SqlFolderKey] = PostgresFixture.SqlFolder;
        builder.AddSiloBuilderConfigurator<PostgresClusteringSiloConfigurator>();
        builder.AddClientBuilderConfigurator<PostgresClusteringClientConfigurator>();
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            await cluster.WaitForLivenessToStabilizeAsync();

            // Both silos are Active (3) in the table, each with a gateway port.
            var silos = await Eventually.Until(
                ReadSilosAsync,
                rows => rows.Count(r => r.Status == 3) == 2,
                "two Active silos in OrleansMembershipTable",
                TimeSpan.FromSeconds(30),
                Describe);
            Assert.Equal(2, silos.Count);
            Assert.All(silos, s => Assert.True(s.ProxyPort > 0));
            Assert.Equal(
                cluster.Silos.Select(s => s.SiloAddress.Endpoint.Port).Order(),
                silos.Select(s => s.Port).Order());

            // The provider's own gateway query lists both.
            var gateways = await ReadGatewaysAsync();
            Assert.Equal(2, gateways.Count);

            // Grains spread over both silos through the client that found them in the table.
            var placed = new HashSet<string>();
            for (var i = 0; i < 64 && placed.Count < 2; i++)
            {
                placed.Add(await cluster.Client.GetGrain<IPgWhereTestGrain>(i).Where());
            }

            Assert.Equal(2, placed.Count);

            // A silo that leaves is marked Dead (6) in the table; the other stays Active.
            await cluster.StopSiloAsync(cluster.SecondarySilos.Count > 0 ? cluster.SecondarySilos[0] : cluster.Silos[1]);
            var afterStop = await Eventually.Until(
                ReadSilosAsync,
                rows => rows.Count(r => r.Status == 3) == 1 && rows.Count(r => r.Status == 6) == 1,
                "one Active and one Dead silo",
                TimeSpan.FromSeconds(30),
                Describe);
            Assert.Single(afterStop, r => r.Status == 6);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private sealed record SiloRow(int Port, int Status, int ProxyPort);

    private static string Describe(List<SiloRow> rows) => string.Join(", ", rows);

    private async Task<List<SiloRow>> ReadSilosAsync()
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Port, Status, COALESCE(ProxyPort, 0) FROM OrleansMembershipTable WHERE DeploymentId = @cluster", connection);
        command.Parameters.AddWithValue("cluster", database.ClusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<SiloRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new SiloRow(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return rows;
    }

    private async Task<List<string>> ReadGatewaysAsync()
    {
        await using var connection = await database.OpenAsync();
        string queryText;
        await using (var query = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'GatewaysQueryKey'", connection))
        {
            queryText = (string)(await query.ExecuteScalarAsync())!;
        }

        await using var command = new NpgsqlCommand(queryText, connection);
        command.Parameters.AddWithValue("DeploymentId", database.ClusterId);
        command.Parameters.AddWithValue("Status", 3);
        await using var reader = await command.ExecuteReaderAsync();
        var gateways = new List<string>();
        while (await reader.ReadAsync())
        {
            gateways.Add($"{reader.GetString(reader.GetOrdinal("Address"))}:{reader.GetInt32(reader.GetOrdinal("ProxyPort"))}");
        }

        return gateways;
    }
}
