using Vpp.Simulator.Gateway;

namespace Vpp.Simulator.Engine;

/// <summary>
/// Counts the fleet events that happen during a run. The VPP keeps only its most recent events, so the tally reads
/// the newest ones every round and folds in those it has not seen (by sequence number); if even a full page is all
/// new, some fell off in between and the tally says so rather than pretend.
/// </summary>
public sealed class FleetEventTally
{
    private const int PageSize = 100;
    private const int MaxPageSize = 500;
    private const int MessagesKept = 5;
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _reallocationMessages = [];
    private long? _lastSequence;

    /// <summary>Set when events could not be read, or when some may have been missed.</summary>
    public string? Problem { get; private set; }

    public IReadOnlyList<string> ReallocationMessages => _reallocationMessages;

    public int Count(string kind) => _counts.GetValueOrDefault(kind);

    /// <summary>Marks where the run starts: events before it are not counted.</summary>
    public async Task StartAsync(IAssetGateway gateway, string fleetId, CancellationToken cancellationToken)
    {
        var newest = await gateway.GetFleetEventsAsync(fleetId, 1, cancellationToken);
        _lastSequence = newest.Count > 0 ? newest[0].Sequence : 0;
    }

    /// <summary>Reads what happened since the last call. Failures are remembered, not thrown: counting is not worth stopping a run for.</summary>
    public async Task CatchUpAsync(IAssetGateway gateway, string fleetId, CancellationToken cancellationToken)
    {
        try
        {
            _lastSequence ??= 0;
            var page = await gateway.GetFleetEventsAsync(fleetId, PageSize, cancellationToken);
            if (page.Count == PageSize && page.All(e => e.Sequence > _lastSequence))
            {
                page = await gateway.GetFleetEventsAsync(fleetId, MaxPageSize, cancellationToken);
                if (page.Count == MaxPageSize && page.All(e => e.Sequence > _lastSequence))
                {
                    Problem = $"more than {MaxPageSize} events arrived between two reads: some were not counted";
                }
            }

            foreach (var e in page.Where(e => e.Sequence > _lastSequence).OrderBy(e => e.Sequence))
            {
                _counts[e.Kind] = _counts.GetValueOrDefault(e.Kind) + 1;
                if (e.Kind == "reallocation" && _reallocationMessages.Count < MessagesKept)
                {
                    _reallocationMessages.Add(e.Message);
                }

                _lastSequence = e.Sequence;
            }
        }
        catch (Exception ex) when (ex is GatewayUnavailableException or HttpRequestException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            Problem = $"fleet events could not be read: {ex.Message}";
        }
    }
}
