using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orleans.Storage;
using Vpp.Grains.Diagnostics;
using Vpp.Grains.Storage;

namespace Vpp.Silo.Storage;

/// <summary>
/// Grain storage on SQLite whose writes go through a <see cref="SqliteWriteBatcher"/>: many grains' writes share one
/// transaction. Reads and clears are the Orleans ADO.NET provider's own; a write binds the same columns the provider
/// does (its key split, its hasher, its serializer, its <c>WriteToStorageKey</c> statement), so rows, payloads and
/// ETags are the provider's, and a version conflict raises the provider's <see cref="InconsistentStateException"/>
/// for that grain alone.
/// </summary>
internal sealed class BatchedSqliteGrainStorage(
    AdoNetGrainStorage provider,
    string providerName,
    string serviceId,
    SqliteWriteBatcher batcher) : IGrainStorage, IInsertOnlyGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        batcher.RunAloneAsync(() => provider.ClearStateAsync(stateName, grainId, grainState));

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (stateName.Contains('`', StringComparison.Ordinal))
        {
            // A generic type name the provider rewrites before storing it: let the provider write it.
            await batcher.RunAloneAsync(() => provider.WriteStateAsync(stateName, grainId, grainState));
            return;
        }

        var expected = string.IsNullOrWhiteSpace(grainState.ETag) ? (int?)null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        // Serialized in the caller's turn: the bytes are the state as of this call, whatever the grain does meanwhile.
        var stored = await batcher.WriteAsync(AdoNetRow.Of(provider, providerName, serviceId, stateName, grainId, grainState, expected));

        var version = stored?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
        if (version.Length == 0 || version == grainState.ETag)
        {
            throw new InconsistentStateException(
                $"Version conflict (WriteState): ServiceId={serviceId} ProviderName={providerName} GrainType={stateName} GrainId={AdoNetGrainKey.Of(grainId)} ETag={grainState.ETag}.");
        }

        grainState.ETag = version;
        grainState.RecordExists = true;
    }

    /// <summary>The rows, serialized in the caller's turn, go to the writer as one entry: one transaction, one prepared insert.</summary>
    public Task<bool[]> InsertNewAsync<T>(string stateName, IReadOnlyList<(GrainId GrainId, T State)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (stateName.Contains('`', StringComparison.Ordinal))
        {
            return InsertOnlyStorage.InsertOneByOneAsync(this, stateName, rows); // see WriteStateAsync
        }

        var started = Stopwatch.GetTimestamp();
        var writes = new SqliteStateWrite[rows.Count];
        for (var i = 0; i < writes.Length; i++)
        {
            writes[i] = AdoNetRow.Of(provider, providerName, serviceId, stateName, rows[i].GrainId, new GrainState<T>(rows[i].State), expected: null);
        }

        VppMetrics.BulkStep("serialise", started);

        return batcher.InsertNewAsync(writes);
    }
}

/// <summary>The columns the ADO.NET provider binds for one grain-state row: its key split, its hasher, its serializer.</summary>
internal static class AdoNetRow
{
    public static SqliteStateWrite Of<T>(
        AdoNetGrainStorage provider, string providerName, string serviceId, string stateName, GrainId grainId, IGrainState<T> grainState, int? expected)
    {
        var key = AdoNetGrainKey.Of(grainId);
        var hasher = provider.HashPicker.PickHasher(serviceId, providerName, stateName, grainId, grainState)
            ?? throw new InvalidOperationException($"The storage provider '{providerName}' has no hasher.");
        var payload = provider.Serializer.Serialize(grainState.State).ToArray();
        return new SqliteStateWrite(
            hasher.Hash(key.HashBytes()), key.N0, key.N1, hasher.Hash(Encoding.UTF8.GetBytes(stateName)), stateName,
            key.Extension, serviceId, expected, payload);
    }
}

/// <summary>
/// A grain id split into the ADO.NET provider's key columns (<c>GrainIdN0</c>, <c>GrainIdN1</c>,
/// <c>GrainIdExtensionString</c>) and the bytes it hashes into <c>GrainIdHash</c>, as Orleans.Persistence.AdoNet's
/// AdoGrainKey does (that type is internal to the provider).
/// </summary>
internal readonly record struct AdoNetGrainKey(long N0, long N1, string? Extension, bool IsLong, bool IsGuid)
{
    public static AdoNetGrainKey Of(GrainId grainId)
    {
        if (grainId.TryGetGuidKey(out var guid, out var guidExtension))
        {
            var bytes = guid.ToByteArray();
            return new(BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8), guidExtension, IsLong: false, IsGuid: true);
        }

        if (grainId.TryGetIntegerKey(out var integer, out var integerExtension))
        {
            return new(0, integer, integerExtension, IsLong: true, IsGuid: false);
        }

        return new(0, 0, grainId.Key.ToString(), IsLong: false, IsGuid: false);
    }

    /// <summary>The key bytes (the number, then the UTF-8 extension), reversed on little-endian machines.</summary>
    public byte[] HashBytes()
    {
        byte[]? bytes = IsLong ? BitConverter.GetBytes(N1) : IsGuid ? Guid().ToByteArray() : null;
        if (bytes is not null && Extension is not null)
        {
            bytes = [.. bytes, .. Encoding.UTF8.GetBytes(Extension)];
        }

        bytes ??= Encoding.UTF8.GetBytes(Extension!);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return bytes;
    }

    public override string ToString()
    {
        var primary = IsLong ? N1.ToString(CultureInfo.InvariantCulture) : IsGuid ? Guid().ToString() : Extension;
        return IsLong || IsGuid ? (Extension is null ? primary! : $"{primary}#{Extension}") : primary!;
    }

    private Guid Guid() => new(
        (uint)(N0 & 0xffffffff), (ushort)(N0 >> 32), (ushort)(N0 >> 48),
        (byte)N1, (byte)(N1 >> 8), (byte)(N1 >> 16), (byte)(N1 >> 24), (byte)(N1 >> 32), (byte)(N1 >> 40), (byte)(N1 >> 48), (byte)(N1 >> 56));
}
