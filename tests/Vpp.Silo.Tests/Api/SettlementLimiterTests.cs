using Vpp.Silo.Api;

namespace Vpp.Silo.Tests.Api;

public sealed class SettlementLimiterTests
{
    [Fact]
    public void A_key_gets_at_most_the_bound_of_settlements_of_one_fleet_at_once()
    {
        var limiter = new SettlementLimiter();
        using var first = limiter.TryEnter("key-a", "fleet-1", max: 2);
        var second = limiter.TryEnter("key-a", "fleet-1", max: 2);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(limiter.TryEnter("key-a", "fleet-1", max: 2));

        // Other keys and other fleets are counted apart.
        using var otherKey = limiter.TryEnter("key-b", "fleet-1", max: 2);
        using var otherFleet = limiter.TryEnter("key-a", "fleet-2", max: 2);
        Assert.NotNull(otherKey);
        Assert.NotNull(otherFleet);

        // One that answered frees its place (once, however often it is disposed).
        second!.Dispose();
        second.Dispose();
        using var third = limiter.TryEnter("key-a", "fleet-1", max: 2);
        Assert.NotNull(third);
        Assert.Null(limiter.TryEnter("key-a", "fleet-1", max: 2));
    }
}
