using Orleans.Storage;

namespace Vpp.Silo.Tests.Storage;

/// <summary>
/// The optimistic-concurrency contract Orleans expects of every grain storage provider, checked the same way on
/// each of ours (SQLite and PostgreSQL through the same ADO.NET provider and our scripts): a version chain of
/// ETags, stale and blind writes refused without effect, and clearing that keeps the chain going.
/// </summary>
public static class GrainStorageContract
{
    public static async Task HoldsTheETagChainAsync(IGrainStorage storage, string stateName, GrainId grainId)
    {
        var first = new GrainState<CounterTestState>();
        await storage.ReadStateAsync(stateName, grainId, first);
        Assert.Null(first.ETag);
        Assert.False(first.RecordExists);

        first.State = new CounterTestState { Count = 1 };
        await storage.WriteStateAsync(stateName, grainId, first);
        Assert.Equal("1", first.ETag);
        Assert.True(first.RecordExists);

        // A second reader moves the row on.
        var second = new GrainState<CounterTestState>();
        await storage.ReadStateAsync(stateName, grainId, second);
        Assert.Equal("1", second.ETag);
        Assert.Equal(1, second.State!.Count);
        second.State.Count = 2;
        await storage.WriteStateAsync(stateName, grainId, second);
        Assert.Equal("2", second.ETag);

        // The first holder's ETag is stale now: writes and clears are refused.
        first.State.Count = 99;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, first));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(stateName, grainId, first));

        // A writer without an ETag (a second activation that never read) must not overwrite an existing row.
        var blind = new GrainState<CounterTestState>(new CounterTestState { Count = 42 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grainId, blind));

        // Nothing of the refused writes reached the database.
        var check = new GrainState<CounterTestState>();
        await storage.ReadStateAsync(stateName, grainId, check);
        Assert.Equal("2", check.ETag);
        Assert.Equal(2, check.State!.Count);

        // Clear keeps the version chain: ETag moves on, the record no longer exists, writing resumes from it.
        await storage.ClearStateAsync(stateName, grainId, check);
        Assert.Equal("3", check.ETag);
        Assert.False(check.RecordExists);
        var afterClear = new GrainState<CounterTestState>();
        await storage.ReadStateAsync(stateName, grainId, afterClear);
        Assert.Equal("3", afterClear.ETag);
        Assert.False(afterClear.RecordExists);
        Assert.Equal(0, afterClear.State!.Count);
        afterClear.State.Count = 5;
        await storage.WriteStateAsync(stateName, grainId, afterClear);
        Assert.Equal("4", afterClear.ETag);
    }
}
