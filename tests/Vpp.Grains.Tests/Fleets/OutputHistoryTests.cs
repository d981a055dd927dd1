using Vpp.Abstractions.Fleets;
using Vpp.Grains.Fleets;

namespace Vpp.Grains.Tests.Fleets;

public sealed class OutputHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static OutputSample At(double seconds, double kw = 1) => new(T0.AddSeconds(seconds), kw, kw, kw);

    [Fact]
    public void Keeps_one_sample_per_interval_slot_and_refuses_older_ones()
    {
        var history = new OutputHistory(TimeSpan.FromSeconds(2), TimeSpan.FromHours(1));

        Assert.True(history.Record(At(0)));
        Assert.False(history.Record(At(1.9))); // same 2 s slot
        Assert.True(history.Record(At(2.1)));
        Assert.False(history.Record(At(1)));  // older than the newest

        Assert.Equal([T0, T0.AddSeconds(2.1)], history.Since(T0.AddHours(-1)).Select(s => s.At));
    }

    [Fact]
    public void Holds_an_hour_at_two_second_resolution_and_overwrites_the_oldest()
    {
        var history = new OutputHistory(TimeSpan.FromSeconds(2), TimeSpan.FromHours(1));
        Assert.Equal(1801, history.Capacity);

        for (var k = 0; k < 2000; k++)
        {
            history.Record(At(k * 2, k));
        }

        var all = history.Since(DateTimeOffset.MinValue);
        Assert.Equal(1801, all.Length);
        Assert.Equal(2000 - 1801, all[0].AllocatedKw);
        Assert.Equal(1999, all[^1].AllocatedKw);
        Assert.Equal(1999, history.Newest!.AllocatedKw);
        Assert.Equal([1998, 1999], history.After(T0.AddSeconds(3994), 10).Select(s => s.AllocatedKw));
        Assert.Equal([199, 200], history.After(null, 2).Select(s => s.AllocatedKw));
    }
}
