using Npgsql;

namespace Vpp.Silo.Storage;

/// <summary>
/// Checks before the silo starts that PostgreSQL answers. Without it an unreachable server surfaces as
/// Orleans lifecycle failures: retries, then a wall of stack traces, long after the cause was knowable.
/// </summary>
public static class PostgresPreflight
{
    /// <summary>Returns null when the server answers, else one line saying which server failed, why, and what to do.</summary>
    /// <remarks>Bounded by the connection string's <c>Timeout</c> (<see cref="PostgresSetup.DefaultConnectTimeoutSeconds"/> unless set).</remarks>
    public static async Task<string?> ProblemAsync(string connectionString, CancellationToken cancellationToken)
    {
        string normalized;
        try
        {
            normalized = PostgresSetup.NormalizeConnectionString(connectionString);
        }
        catch (ArgumentException ex)
        {
            return $"{ex.Message} Set ConnectionStrings:Postgres or {PostgresSettings.EnvironmentVariable} to e.g. Host=127.0.0.1;Port=5432;Database=vpp;Username=vpp;Password=….";
        }

        try
        {
            await using var connection = new NpgsqlConnection(normalized);
            await connection.OpenAsync(cancellationToken);
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync(cancellationToken);
            return null;
        }
        catch (PostgresException ex)
        {
            // The server answered but said no (credentials, missing database): a different fix than an absent server.
            var builder = new NpgsqlConnectionStringBuilder(normalized);
            return $"PostgreSQL at {builder.Host}:{builder.Port} refused the connection to database '{builder.Database}' as '{builder.Username}': "
                   + $"{ex.MessageText} (SQLSTATE {ex.SqlState}). Check user, password and database in ConnectionStrings:Postgres / "
                   + $"{PostgresSettings.EnvironmentVariable}.";
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var builder = new NpgsqlConnectionStringBuilder(normalized);
            return $"PostgreSQL at {builder.Host}:{builder.Port} (database '{builder.Database}') is unreachable: {Reason(ex)}. "
                   + "Start the server (a local one: `scripts/postgres.sh start`) or point ConnectionStrings:Postgres / "
                   + $"{PostgresSettings.EnvironmentVariable} at a running one.";
        }
    }

    private static string Reason(Exception ex)
    {
        // Npgsql wraps the socket error; the innermost message is the one a person can act on.
        var innermost = ex;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return ReferenceEquals(innermost, ex) ? ex.Message : $"{ex.Message} ({innermost.Message})";
    }
}
