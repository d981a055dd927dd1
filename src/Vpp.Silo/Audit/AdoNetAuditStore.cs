using System.Data.Common;
using System.Globalization;

namespace Vpp.Silo.Audit;

/// <summary>
/// The audit log in table <c>VppAudit</c> (silo-config/sql/{sqlite,postgres}): the same SQL on SQLite and PostgreSQL,
/// instants as Unix milliseconds, the route's ids as <c>|id1|id2|</c> so one id is found with LIKE. Every row carries
/// the silo's <paramref name="serviceId"/> (<c>Orleans:ServiceId</c>, which keys the grain state in the same database),
/// and only those rows are read and swept: deployments sharing a database keep separate trails. A row of no service
/// (<c>''</c>, the column's default for a table that had none) is every service's.
/// </summary>
public sealed class AdoNetAuditStore(Func<DbConnection> connect, string serviceId) : IAuditStore
{
    private const string Columns = "Id, AtUtcMs, Actor, Method, Route, Path, Entities, Body, BodyTruncated, Status";

    public async Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        await using var connection = connect();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var entry in entries)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                "INSERT INTO VppAudit (ServiceId, AtUtcMs, Actor, Method, Route, Path, Entities, Body, BodyTruncated, Status) " +
                "VALUES (@service, @at, @actor, @method, @route, @path, @entities, @body, @truncated, @status)";
            Add(command, "service", serviceId);
            Add(command, "at", entry.AtUtc.ToUnixTimeMilliseconds());
            Add(command, "actor", entry.Actor);
            Add(command, "method", entry.Method);
            Add(command, "route", entry.Route);
            Add(command, "path", entry.Path);
            Add(command, "entities", Joined(entry.Entities));
            Add(command, "body", (object?)entry.Body ?? DBNull.Value);
            Add(command, "truncated", entry.BodyTruncated ? 1 : 0);
            Add(command, "status", entry.Status);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = connect();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new List<string> { "ServiceId IN (@service, '')", "Id > @after" };
        Add(command, "service", serviceId);
        Add(command, "after", query.AfterId);
        if (query.From is { } from)
        {
            where.Add("AtUtcMs >= @from");
            Add(command, "from", from.ToUnixTimeMilliseconds());
        }

        if (query.To is { } to)
        {
            where.Add("AtUtcMs < @to");
            Add(command, "to", to.ToUnixTimeMilliseconds());
        }

        if (query.Actor is { } actor)
        {
            where.Add("Actor = @actor");
            Add(command, "actor", actor);
        }

        if (query.Entity is { } entity)
        {
            // Ids may hold '_' and '.', so LIKE's wildcards are escaped.
            where.Add("Entities LIKE @entity ESCAPE '\\'");
            Add(command, "entity", "%|" + entity.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal) + "|%");
        }

        command.CommandText = $"SELECT {Columns} FROM VppAudit WHERE {string.Join(" AND ", where)} ORDER BY Id LIMIT {query.Limit.ToString(CultureInfo.InvariantCulture)}";
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6).Split('|', StringSplitOptions.RemoveEmptyEntries),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                Convert.ToInt32(reader.GetValue(8), CultureInfo.InvariantCulture) != 0,
                Convert.ToInt32(reader.GetValue(9), CultureInfo.InvariantCulture)));
        }

        return entries;
    }

    public async Task<int> DeleteBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = connect();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM VppAudit WHERE ServiceId IN (@service, '') AND AtUtcMs < @before";
        Add(command, "service", serviceId);
        Add(command, "before", before.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Joined(IReadOnlyList<string> entities) => entities.Count == 0 ? "" : "|" + string.Join('|', entities) + "|";

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>The audit log of the memory storage profile: lost with the process, like the grain state it keeps.</summary>
public sealed class InMemoryAuditStore : IAuditStore
{
    private readonly List<AuditEntry> _entries = [];
    private long _lastId;

    public Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            _entries.AddRange(entries.Select(e => e with { Id = ++_lastId }));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            IReadOnlyList<AuditEntry> page = _entries
                .Where(e => e.Id > query.AfterId && (query.From is not { } from || e.AtUtc >= from) && (query.To is not { } to || e.AtUtc < to))
                .Where(e => (query.Actor is null || e.Actor == query.Actor) && (query.Entity is null || e.Entities.Contains(query.Entity)))
                .Take(query.Limit)
                .ToList();
            return Task.FromResult(page);
        }
    }

    public Task<int> DeleteBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            return Task.FromResult(_entries.RemoveAll(e => e.AtUtc < before));
        }
    }
}
