using Vpp.Silo.Metrics;

namespace Vpp.Silo.Tests.Metrics;

/// <summary>The words a stall warning gives an operator about the GC behind it.</summary>
public sealed class GcPauseTests
{
    [Fact]
    public void A_gc_that_ended_in_the_stall_is_named_with_its_kind_generation_and_compaction() =>
        Assert.Equal(
            "a GC paused it 1,276 ms: ephemeral gen1, compacting",
            new GcPause(TimeSpan.FromMilliseconds(1276), GCKind.Ephemeral, 1, Compacted: true, InStall: true).ToString());

    [Fact]
    public void Without_a_gc_in_the_stall_the_longest_pause_so_far_is_given_as_such() =>
        Assert.Equal(
            "no GC ended in it; the longest GC pause so far 2,030 ms: background gen2",
            new GcPause(TimeSpan.FromMilliseconds(2030), GCKind.Background, 2, Compacted: false, InStall: false).ToString());

    [Fact]
    public void Before_any_gc_the_warning_says_so() =>
        Assert.Equal("no GC paused the process so far", default(GcPause).ToString());
}
