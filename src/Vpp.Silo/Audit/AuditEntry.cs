namespace Vpp.Silo.Audit;

/// <summary>
/// One state-changing HTTP call: who (the API key's name, never the key), when (UTC), what (method, route template,
/// path and the ids in the route), the start of the request body and the answer's status code.
/// </summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset AtUtc,
    string Actor,
    string Method,
    string Route,
    string Path,
    IReadOnlyList<string> Entities,
    string? Body,
    bool BodyTruncated,
    int Status);

/// <summary>A page of the audit log: entries with <see cref="AuditEntry.Id"/> above <see cref="AfterId"/>, oldest first.</summary>
public sealed record AuditQuery(DateTimeOffset? From, DateTimeOffset? To, string? Actor, string? Entity, long AfterId, int Limit);

/// <summary>Append-only storage of the audit log.</summary>
public interface IAuditStore
{
    Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Removes entries older than <paramref name="before"/> (retention); returns how many.</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
