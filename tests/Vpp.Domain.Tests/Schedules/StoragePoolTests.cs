using Vpp.Domain.Schedules;

namespace Vpp.Domain.Tests.Schedules;

/// <summary>Batteries' energy added up from assets to partitions to the fleet, and when a change is worth reporting.</summary>
public sealed class StoragePoolTests
{
    [Fact]
    public void The_sum_adds_energy_and_power_keeps_the_worst_efficiency_and_is_null_without_any_battery()
    {
        var sum = StoragePool.Sum([new StoragePool(10, 20, 0.9, 5, 4), null, new StoragePool(1, 2, 0.8, 3, 2)]);

        Assert.Equal(new StoragePool(11, 22, 0.8, 8, 6), sum);
        Assert.Null(StoragePool.Sum([null, null]));
    }

    [Fact]
    public void A_change_differs_when_energy_moved_beyond_the_threshold_or_a_battery_appeared()
    {
        var pool = new StoragePool(10, 20, 0.9, 5, 4);

        Assert.False(StoragePool.Differs(pool, pool with { DeliverableKwh = 10.5 }, thresholdKwh: 1));
        Assert.True(StoragePool.Differs(pool, pool with { AbsorbableKwh = 21.5 }, thresholdKwh: 1));
        Assert.True(StoragePool.Differs(pool, null, thresholdKwh: 1));
        Assert.False(StoragePool.Differs(null, null, thresholdKwh: 1));
    }
}
