using Microsoft.Extensions.Configuration;
using Npgsql;
using Vpp.Silo.Storage;

namespace Vpp.Silo.Tests.Storage;

/// <summary>Each silo's connection pool is bounded (Storage:Postgres:MaxPoolSize), so N silos fit the server's max_connections.</summary>
public sealed class PostgresSettingsTests
{
    private static PostgresSettings From(string connectionString, string? maxPoolSize = null)
    {
        var values = new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connectionString };
        if (maxPoolSize is not null)
        {
            values["Storage:Postgres:MaxPoolSize"] = maxPoolSize;
        }

        return PostgresSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    [Fact]
    public void A_connection_string_without_a_pool_size_gets_the_default_of_16()
    {
        var settings = From("Host=db;Port=5432;Database=vpp;Username=vpp;Password=secret");

        Assert.Equal(16, new NpgsqlConnectionStringBuilder(settings.ConnectionString).MaxPoolSize);
        Assert.Equal("secret", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Password);
    }

    [Fact]
    public void The_configured_pool_size_is_used_and_one_in_the_connection_string_wins()
    {
        Assert.Equal(20, new NpgsqlConnectionStringBuilder(From("Host=db;Database=vpp", "20").ConnectionString).MaxPoolSize);
        Assert.Equal(7, new NpgsqlConnectionStringBuilder(From("Host=db;Database=vpp;Maximum Pool Size=7", "20").ConnectionString).MaxPoolSize);
        Assert.Throws<InvalidOperationException>(() => From("Host=db;Database=vpp", "0"));
    }
}
