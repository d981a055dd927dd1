using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using Vpp.Grains.Diagnostics;
using Vpp.Grains.Storage;

namespace Vpp.Silo.Storage;

/// <summary>
/// The Orleans ADO.NET provider on PostgreSQL for reads, writes and clears, plus a bulk insert: a batch of new rows is
/// one <c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING</c> (one round trip, one transaction) instead of the
/// provider's one statement per row. The rows carry the provider's key split, hasher and serializer, so the provider
/// reads them like its own.
/// </summary>
internal sealed class PostgresInsertOnlyGrainStorage(
    AdoNetGrainStorage provider,
    string providerName,
    string serviceId,
    NpgsqlDataSource dataSource) : IGrainStorage, IInsertOnlyGrainStorage
{
    // Version 1 of each row whose grain has none (the unique key of silo-config/sql/postgres/001-persistence.sql); the
    // same columns and values as the versionless branch of WriteToStorageKey. RETURNING names the rows stored.
    private const string InsertStatement = """
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT r.h, r.n0, r.n1, r.type_hash, @type, r.ext, @service, r.payload, now(), 1
        FROM unnest(@hashes, @n0s, @n1s, @type_hashes, @exts, @payloads) AS r(h, n0, n1, type_hash, ext, payload)
        ON CONFLICT DO NOTHING
        RETURNING GrainIdN0, GrainIdN1, GrainIdExtensionString
        """;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ClearStateAsync(stateName, grainId, grainState);

    public async Task<bool[]> InsertNewAsync<T>(string stateName, IReadOnlyList<(GrainId GrainId, T State)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return [];
        }

        if (stateName.Contains('`', StringComparison.Ordinal))
        {
            // A generic type name the provider rewrites before storing it: let the provider write each row.
            return await InsertOnlyStorage.InsertOneByOneAsync(provider, stateName, rows);
        }

        var started = Stopwatch.GetTimestamp();
        var columns = new SqliteStateWrite[rows.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = AdoNetRow.Of(provider, providerName, serviceId, stateName, rows[i].GrainId, new GrainState<T>(rows[i].State), expected: null);
        }

        VppMetrics.BulkStep("serialise", started);

        await using var command = dataSource.CreateCommand(InsertStatement);
        command.Parameters.Add(new NpgsqlParameter<string>("type", NpgsqlDbType.Text) { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<string>("service", NpgsqlDbType.Text) { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<int[]>("hashes", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. columns.Select(c => c.GrainIdHash)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("n0s", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. columns.Select(c => c.GrainIdN0)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("n1s", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. columns.Select(c => c.GrainIdN1)] });
        command.Parameters.Add(new NpgsqlParameter<int[]>("type_hashes", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. columns.Select(c => c.GrainTypeHash)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("exts", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. columns.Select(c => c.GrainIdExtensionString)] });
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. columns.Select(c => c.PayloadBinary)] });

        var inserted = new HashSet<(long, long, string?)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                inserted.Add((reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        return [.. columns.Select(c => inserted.Contains((c.GrainIdN0, c.GrainIdN1, c.GrainIdExtensionString)))];
    }
}
