using Orleans.Storage;

namespace Vpp.Grains.Storage;

/// <summary>
/// A grain storage that stores many new rows at once, insert-only: a row that exists already is left as it is. Bulk
/// registration writes its assets' rows through it, so a partition's batch is one statement (or one transaction)
/// instead of one write per asset.
/// </summary>
public interface IInsertOnlyGrainStorage
{
    /// <summary>
    /// Stores each state as version 1 of its grain's row where that grain has no row yet. The answer says, in order,
    /// which were stored (true) and which found a row already (false). Throws when the batch could not be stored; then
    /// none or some of its rows may be stored, each whole, and sending the batch again finds those as existing.
    /// </summary>
    Task<bool[]> InsertNewAsync<T>(string stateName, IReadOnlyList<(GrainId GrainId, T State)> rows);
}

/// <summary>Insert-only writes through any <see cref="IGrainStorage"/>: one statement per batch where the storage has one.</summary>
public static class InsertOnlyStorage
{
    /// <summary>
    /// <see cref="IInsertOnlyGrainStorage.InsertNewAsync"/> on <paramref name="storage"/>, or, for a storage without a
    /// bulk insert (the in-memory one), <see cref="InsertOneByOneAsync"/>.
    /// </summary>
    public static async Task<bool[]> InsertNewAsync<T>(IGrainStorage storage, string stateName, IReadOnlyList<(GrainId GrainId, T State)> rows)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(rows);
        return storage is IInsertOnlyGrainStorage bulk
            ? await bulk.InsertNewAsync(stateName, rows)
            : await InsertOneByOneAsync(storage, stateName, rows);
    }

    /// <summary>One versionless write per row through <paramref name="storage"/>; a version conflict means the row exists.</summary>
    public static async Task<bool[]> InsertOneByOneAsync<T>(IGrainStorage storage, string stateName, IReadOnlyList<(GrainId GrainId, T State)> rows)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(rows);
        var writes = rows.Select(async row =>
        {
            try
            {
                await storage.WriteStateAsync(stateName, row.GrainId, new GrainState<T>(row.State)); // no ETag: insert only
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        });
        return await Task.WhenAll(writes);
    }
}
