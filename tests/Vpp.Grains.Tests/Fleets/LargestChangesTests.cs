using Vpp.Abstractions.Fleets;
using Vpp.Grains.Fleets;

namespace Vpp.Grains.Tests.Fleets;

public sealed class LargestChangesTests
{
    [Fact]
    public void Keeps_the_largest_moves_each_way_and_ignores_noise()
    {
        var largest = new LargestChanges(2);
        foreach (var (id, kw) in new[] { ("a", 5.0), ("b", -7.0), ("c", 9.0), ("d", 1.0), ("e", -2.0), ("f", -8.0), ("g", 0.0000001), ("h", 6.0) })
        {
            largest.Offer(id, kw);
        }

        Assert.Equal([new SetpointChange("c", 9), new SetpointChange("h", 6)], largest.InDirection(+1));
        Assert.Equal([new SetpointChange("f", -8), new SetpointChange("b", -7)], largest.InDirection(-1));
        Assert.Equal(["c", "h", "f", "b"], largest.ToArray().Select(c => c.AssetId));
    }
}
