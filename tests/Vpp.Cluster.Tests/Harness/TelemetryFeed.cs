namespace Vpp.Cluster.Tests.Harness;

/// <summary>
/// Asset gateways: every asset reports telemetry every <see cref="Interval"/> (well inside the 15 s offline
/// threshold) through the given silos in turn, until stopped. Failures are counted, not thrown: during a
/// failover some reports are expected to fail and the test reports how many.
/// </summary>
public sealed class TelemetryFeed(IReadOnlyList<string> assetIds, Func<IReadOnlyList<HttpClient>> through) : IAsyncDisposable
{
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private Task? _running;
    private int _failures;
    private int _sent;

    public int Failures => _failures;

    public int Sent => _sent;

    public string? LastError { get; private set; }

    public void Start() => _running = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        using var pace = new PeriodicTimer(Interval);
        do
        {
            var clients = through();
            await HttpApi.ForEachAsync(assetIds.Select((id, i) => (id, i)), 8, async asset =>
            {
                try
                {
                    await clients[asset.i % clients.Count].PostTelemetryAsync(asset.id);
                    Interlocked.Increment(ref _sent);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref _failures);
                    LastError = ex.Message;
                }
            });
        }
        while (await WaitNextAsync(pace));
    }

    private async Task<bool> WaitNextAsync(PeriodicTimer pace)
    {
        try
        {
            return await pace.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }

        _stop.Dispose();
    }
}
