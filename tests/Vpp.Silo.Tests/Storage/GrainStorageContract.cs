using Orleans.Storage;
using Vpp.Grains.Storage;

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

    /// <summary>
    /// A bulk insert stores version 1 of each new row in one batch, leaves a row that exists as it is (answered false),
    /// and the provider reads the new rows back like its own, with their version chain going on from 1.
    /// </summary>
    public static async Task InsertsOnlyNewRowsAsync(IGrainStorage storage, string stateName, string grainType, string prefix)
    {
        var existing = GrainId.Create(grainType, prefix + "-existing");
        var written = new GrainState<CounterTestState>(new CounterTestState { Count = 1 });
        await storage.WriteStateAsync(stateName, existing, written);
        written.State!.Count = 2;
        await storage.WriteStateAsync(stateName, existing, written); // version 2

        var bulk = Assert.IsAssignableFrom<IInsertOnlyGrainStorage>(storage);
        var fresh = Enumerable.Range(0, 40).Select(i => GrainId.Create(grainType, $"{prefix}-new-{i}")).ToArray();
        (GrainId, CounterTestState)[] rows = [(fresh[0], new CounterTestState { Count = 100 }), (existing, new CounterTestState { Count = 99 }),
            .. fresh.Skip(1).Select((id, i) => (id, new CounterTestState { Count = 101 + i }))];
        var inserted = await bulk.InsertNewAsync(stateName, rows);

        Assert.Equal([true, false, .. Enumerable.Repeat(true, fresh.Length - 1)], inserted);
        var kept = new GrainState<CounterTestState>();
        await storage.ReadStateAsync(stateName, existing, kept);
        Assert.Equal(("2", 2), (kept.ETag, kept.State!.Count));
        for (var i = 0; i < fresh.Length; i++)
        {
            var read = new GrainState<CounterTestState>();
            await storage.ReadStateAsync(stateName, fresh[i], read);
            Assert.Equal(("1", 100 + i, true), (read.ETag, read.State!.Count, read.RecordExists));
        }

        var next = new GrainState<CounterTestState>();
        await storage.ReadStateAsync(stateName, fresh[5], next);
        next.State!.Count = 7;
        await storage.WriteStateAsync(stateName, fresh[5], next);
        Assert.Equal("2", next.ETag);

        // The same batch again finds every row: nothing is overwritten.
        Assert.All(await bulk.InsertNewAsync(stateName, rows), Assert.False);
        var unchanged = new GrainState<CounterTestState>();
        await storage.ReadStateAsync(stateName, fresh[5], unchanged);
        Assert.Equal(("2", 7), (unchanged.ETag, unchanged.State!.Count));
    }
}
