using Vpp.Abstractions.Fleets;

namespace Vpp.Grains.Fleets;

/// <summary>
/// A fleet's event subscribers with their leases. Held in the activation only: subscribers renew their lease and
/// learn from the renewal when a new activation has forgotten them.
/// </summary>
internal sealed class FleetSubscribers
{
    public static readonly TimeSpan MinLease = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxLease = TimeSpan.FromHours(1);

    private readonly Dictionary<IFleetEventObserver, DateTimeOffset> _expiry = [];

    public int Count => _expiry.Count;

    /// <summary>Sets the subscriber's lease; true when it was not subscribed.</summary>
    public bool Renew(IFleetEventObserver observer, DateTimeOffset expiresAt)
    {
        var isNew = !_expiry.ContainsKey(observer);
        _expiry[observer] = expiresAt;
        return isNew;
    }

    public void Remove(IFleetEventObserver observer) => _expiry.Remove(observer);

    /// <summary>The subscribers whose lease still runs; expired ones are forgotten.</summary>
    public IReadOnlyList<IFleetEventObserver> Current(DateTimeOffset now)
    {
        List<IFleetEventObserver>? expired = null;
        var current = new List<IFleetEventObserver>(_expiry.Count);
        foreach (var (observer, expiresAt) in _expiry)
        {
            if (expiresAt < now)
            {
                (expired ??= []).Add(observer);
            }
            else
            {
                current.Add(observer);
            }
        }

        expired?.ForEach(o => _expiry.Remove(o));
        return current;
    }
}
